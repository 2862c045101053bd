import { describe, expect, it } from 'vitest';
import { parseAdminArgs, UsageError } from '../../server/admin/parse-args.js';

describe('parseAdminArgs', () => {
  it('parses every command', () => {
    expect(parseAdminArgs(['teams', 'create', 'acme'])).toEqual({ name: 'teams create', team: 'acme' });
    expect(parseAdminArgs(['tokens', 'create', '--team', 'acme', '--ability', 'property-search'])).toEqual({
      name: 'tokens create',
      team: 'acme',
      abilities: ['property-search'],
    });
    expect(parseAdminArgs(['tokens', 'list', '--team=acme'])).toEqual({ name: 'tokens list', team: 'acme' });
    expect(parseAdminArgs(['tokens', 'revoke', 'tok_0123456789abcdef'])).toEqual({
      name: 'tokens revoke',
      tokenId: 'tok_0123456789abcdef',
    });
    expect(parseAdminArgs(['sessions', 'create', '--id', 'my_session-1', '--team', 'acme'])).toEqual({
      name: 'sessions create',
      team: 'acme',
      sessionId: 'my_session-1',
    });
  });

  it('parses migrate, a command of one word', () => {
    expect(parseAdminArgs(['migrate'])).toEqual({ name: 'migrate' });
  });

  it('takes repeated abilities in canonical order, without duplicates', () => {
    const argv = ['tokens', 'create', '--team', 'acme', '--ability', 'property-search-sessions', '--ability', 'property-search'];
    expect(parseAdminArgs([...argv, '--ability', 'property-search'])).toMatchObject({
      abilities: ['property-search', 'property-search-sessions'],
    });
  });

  it('accepts names at the edge of their patterns', () => {
    expect(parseAdminArgs(['teams', 'create', 'a'.repeat(64)])).toMatchObject({ team: 'a'.repeat(64) });
    expect(parseAdminArgs(['sessions', 'create', '--team', 'acme', '--id', 'x'.repeat(128)])).toMatchObject({
      sessionId: 'x'.repeat(128),
    });
  });

  it.each([
    [[], /No command given/],
    [['teams'], /Unknown command: teams/],
    [['migrate', 'now'], /Expected no arguments/],
    [['migrate', '--force'], /Unknown option '--force'/],
    [['teams', 'delete', 'acme'], /Unknown command: teams delete/],
    [['sessions', 'delete', '--team', 'acme', '--id', 'x'], /Unknown command/],
    [['toString', 'x'], /Unknown command/],
    [['teams', 'create'], /Expected <team>/],
    [['teams', 'create', 'a', 'b'], /Expected <team>/],
    [['teams', 'create', 'bad name'], /Team name must match/],
    [['teams', 'create', 'a'.repeat(65)], /Team name must match/],
    [['teams', 'create', 'acme', '--force'], /Unknown option '--force'/],
    [['tokens', 'create', '--team', 'acme'], /Missing --ability/],
    [['tokens', 'create', '--ability', 'property-search'], /Missing --team/],
    [['tokens', 'create', '--team', 'acme', '--ability', 'admin'], /Unknown ability "admin"/],
    [['tokens', 'create', '--team', 'a', '--team', 'b', '--ability', 'property-search'], /--team may be given only once/],
    [['tokens', 'create', '--team', 'acme', '--ability', 'property-search', 'extra'], /Expected no arguments/],
    [['tokens', 'list', '--team'], /argument missing/],
    [['tokens', 'list', '--team', 'acme', '--bogus', 'x'], /Unknown option '--bogus'/],
    [['tokens', 'revoke', 'tok_XYZ'], /Token id must match/],
    [['tokens', 'revoke'], /Expected <tokenId>/],
    [['sessions', 'create', '--team', 'acme'], /Missing --id/],
    [['sessions', 'create', '--team', 'acme', '--id', 'x'.repeat(129)], /Session id must match/],
    [['sessions', 'create', '--team', 'acme', '--id', 'a/b'], /Session id must match/],
  ])('rejects %j', (argv, message) => {
    expect(() => parseAdminArgs(argv)).toThrow(UsageError);
    expect(() => parseAdminArgs(argv)).toThrow(message);
  });
});
