// Teams' session lists, remembered. A list changes only when one of the team's sessions is created,
// delivered to or deleted: this process forgets the team's lists inside the very transaction that
// does so (nothing can read between the write and its commit: both run in one synchronous call),
// and a commit by any other connection to the file (another instance, the admin CLI) shows in
// PRAGMA data_version, checked for every list (as of a check made since its request arrived), and
// forgets them all. A team whose jobs are running therefore pays the read again after each page; a
// dashboard polling an idle team does not.
import { VersionedLru } from '../lru.js';
import type { SessionPage } from '../store.js';

/** Sessions remembered over all teams' lists: a few megabytes. */
const MAX_SESSIONS = 20_000;

/**
 * A team's remembered pages weigh the sessions they hold, an empty page as one: pages past the end,
 * one per `skip`, would otherwise weigh nothing and pile up without bound.
 */
const sessionsIn = (pages: Map<string, SessionPage>) => {
  let sessions = 0;
  for (const page of pages.values()) sessions += Math.max(1, page.sessions.length);
  return sessions;
};

export class SessionLists {
  /** Each team's pages by `skip|take`; least recently read teams are forgotten first. */
  private readonly teams = new VersionedLru<number, Map<string, SessionPage>>(MAX_SESSIONS, sessionsIn);

  /**
   * The team's list page, read by `read` unless remembered and still true: `othersCommits` is PRAGMA
   * data_version on the store's connection.
   */
  get(teamId: number, skip: number, take: number, othersCommits: number, read: () => SessionPage): SessionPage {
    this.teams.revalidate(othersCommits);
    const key = `${skip}|${take}`;
    const pages = this.teams.get(teamId) ?? new Map<string, SessionPage>();
    const known = pages.get(key);
    if (known) return known;
    const page = read();
    // Frozen, records too: the page is handed out again, and may be formatted once for all (see
    // list-search-sessions.ts).
    for (const session of page.sessions) Object.freeze(session);
    Object.freeze(page.sessions);
    pages.set(key, page);
    this.teams.set(teamId, pages); // weighed again, with this page
    return page;
  }

  /** Call inside the transaction that creates, delivers to or deletes one of the team's sessions. */
  forget(teamId: number): void {
    this.teams.delete(teamId);
  }
}
