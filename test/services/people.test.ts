import { WebClient } from '@slack/web-api';
import winston from 'winston';
import { AsanaDirectory } from '../../src/services/asana/asana-directory';
import { AsanaGateway, rapidRetryPolicy } from '../../src/services/asana/asana-gateway';
import { People } from '../../src/services/people';
import { SlackUsers } from '../../src/services/slack/slack-users';
import { MemoryStore } from '../../src/store/memory-store';
import { FakeAsanaServer } from '../fakes/fake-asana-server';
import { FakeSlackServer } from '../fakes/fake-slack-server';

const logger = winston.createLogger({ silent: true });
const WS = '1100000000000001';
const HOUR = 60 * 60 * 1000;
const emailLookups = /^\/workspaces\/[^/]+\/users\//;

describe('People', () => {
  let asana: FakeAsanaServer;
  let slack: FakeSlackServer;
  let store: MemoryStore;
  let people: People;
  let now: Date;

  beforeEach(async () => {
    asana = await FakeAsanaServer.start({ token: 'pat' });
    slack = await FakeSlackServer.start();
    asana.addWorkspace({ gid: WS, name: 'Acme', is_organization: true });
    asana.addUser({ gid: '1300000000000001', name: 'Ann', email: 'ann@example.com', workspaces: [WS] });
    asana.addUser({ gid: '1300000000000002', name: 'Bo', email: 'bo@example.com', workspaces: [WS] });
    slack.addUser({ id: 'U_ANN', name: 'ann', email: 'Ann@Example.COM' });
    slack.addUser({ id: 'U_BO', name: 'bo', email: 'bo@example.com' });
    slack.addUser({ id: 'U_CY', name: 'cy', email: 'cy@example.com' });

    now = new Date('2026-06-10T12:00:00Z');
    store = new MemoryStore({ now: () => now });
    const gateway = new AsanaGateway({
      accessToken: 'pat',
      baseUrl: asana.basePath,
      perMinute: 1500,
      logger,
      retryPolicy: rapidRetryPolicy,
    });
    const users = new SlackUsers(
      new WebClient('xoxb-test', { slackApiUrl: slack.apiUrl }),
      () => slack.teamId,
    );
    people = new People(users, new AsanaDirectory(gateway, logger), store, WS, logger, () => now);
  });

  afterEach(async () => {
    await Promise.all([asana.close(), slack.close()]);
  });

  describe('asanaIdentity', () => {
    it('looks one person up by email when not asked to use the user list', async () => {
      const identity = await people.asanaIdentity('U_BO');

      expect(identity).toMatchObject({ kind: 'mapped', gid: '1300000000000002' });
      expect(asana.count('GET', emailLookups)).toBe(1);
      expect(asana.count('GET', '/users')).toBe(0);
    });

    it('links people from one read of the user list, case-insensitively, and stores the links', async () => {
      const ann = await people.asanaIdentity('U_ANN', { fromUserList: true });
      const bo = await people.asanaIdentity('U_BO', { fromUserList: true });

      expect(ann).toMatchObject({ kind: 'mapped', gid: '1300000000000001' });
      expect(bo).toMatchObject({ kind: 'mapped', gid: '1300000000000002' });
      expect(asana.count('GET', '/users')).toBe(1);
      expect(asana.count('GET', emailLookups)).toBe(0);
      expect(await store.getUserLink('U_ANN')).toEqual({
        slackUserId: 'U_ANN',
        asanaUserGid: '1300000000000001',
        email: 'Ann@Example.COM',
        checkedAt: now.toISOString(),
      });
    });

    it('records an email missing from the list as unmapped, and asks about it alone after the missing-link TTL', async () => {
      const first = await people.asanaIdentity('U_CY', { fromUserList: true });

      expect(first.kind).toBe('unmapped');
      expect((await store.getUserLink('U_CY'))?.asanaUserGid).toBeNull();
      expect(asana.count('GET', emailLookups)).toBe(0);

      // Within the TTL the stored answer holds; after it, Asana is asked about this one email.
      now = new Date(now.getTime() + HOUR / 2);
      await people.asanaIdentity('U_CY');
      expect(asana.count('GET', emailLookups)).toBe(0);
      asana.addUser({ gid: '1300000000000003', name: 'Cy', email: 'cy@example.com', workspaces: [WS] });
      now = new Date(now.getTime() + HOUR);
      const later = await people.asanaIdentity('U_CY');

      expect(later).toMatchObject({ kind: 'mapped', gid: '1300000000000003' });
      expect(asana.count('GET', emailLookups)).toBe(1);
      expect(asana.count('GET', '/users')).toBe(1);
    });

    it('looks the person up alone when the user list cannot be read', async () => {
      asana.fail({ path: '/users', status: 403 });

      const identity = await people.asanaIdentity('U_BO', { fromUserList: true });

      expect(identity).toMatchObject({ kind: 'mapped', gid: '1300000000000002' });
      expect(asana.count('GET', emailLookups)).toBe(1);
    });

    it('asks about the person alone when the user list shows no email at all', async () => {
      asana.reset();
      asana.addWorkspace({ gid: WS, name: 'Acme', is_organization: true });
      asana.addUser({ gid: '1300000000000009', name: 'Hidden', email: '', workspaces: [WS] });

      const identity = await people.asanaIdentity('U_BO', { fromUserList: true });

      expect(identity.kind).toBe('unmapped');
      expect(asana.count('GET', '/users')).toBe(1);
      expect(asana.count('GET', emailLookups)).toBe(1);
    });
  });
});
