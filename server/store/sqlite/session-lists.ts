// Teams' session lists, remembered. A list changes only when one of the team's sessions is created,
// delivered to or deleted: this process forgets the team's lists inside the very transaction that
// does so (nothing can read between the write and its commit: both run in one synchronous call),
// and a commit by any other connection to the file (another instance, the admin CLI) shows in
// PRAGMA data_version, read before every list, and forgets them all. A team whose jobs are running
// therefore pays the read again after each page; a dashboard polling an idle team does not.
import type Database from 'better-sqlite3';
import type { SessionPage } from '../store.js';

/** Sessions remembered over all teams' lists: a few megabytes. */
const MAX_SESSIONS = 20_000;

export class SessionLists {
  private readonly teams = new Map<number, Map<string, SessionPage>>();
  private sessions = 0;
  private seenVersion: number | undefined;
  private readonly dataVersion: Database.Statement<[], number>;

  constructor(db: Database.Database) {
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /** The team's list page, read by `read` unless remembered and still true. */
  get(teamId: number, skip: number, take: number, read: () => SessionPage): SessionPage {
    const version = this.dataVersion.get()!;
    if (version !== this.seenVersion) this.forgetAll(version);
    const key = `${skip}|${take}`;
    let pages = this.teams.get(teamId);
    const known = pages?.get(key);
    if (known) {
      // Least recently used team goes first: a team read again moves to the back.
      this.teams.delete(teamId);
      this.teams.set(teamId, pages!);
      return known;
    }
    const page = read();
    // Frozen, records too: the page is handed out again, and may be formatted once for all (see
    // list-search-sessions.ts).
    for (const session of page.sessions) Object.freeze(session);
    Object.freeze(page.sessions);
    if (!pages) this.teams.set(teamId, (pages = new Map()));
    pages.set(key, page);
    this.sessions += page.sessions.length;
    for (const [oldest] of this.teams) {
      if (this.sessions <= MAX_SESSIONS) break;
      this.forget(oldest);
    }
    return page;
  }

  /** Call inside the transaction that creates, delivers to or deletes one of the team's sessions. */
  forget(teamId: number): void {
    const pages = this.teams.get(teamId);
    if (!pages) return;
    for (const page of pages.values()) this.sessions -= page.sessions.length;
    this.teams.delete(teamId);
  }

  private forgetAll(version: number): void {
    this.teams.clear();
    this.sessions = 0;
    this.seenVersion = version;
  }
}
