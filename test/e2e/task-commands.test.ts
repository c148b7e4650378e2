import { DateTime } from 'luxon';
import {
  ASSIGN_TO_ME_ACTION,
  COMPLETE_TASK_ACTION,
  CREATE_TASK_SHORTCUT,
  MORE_TASKS_ACTION,
  PROJECT_BLOCK,
  REOPEN_TASK_ACTION,
  SET_DUE_DATE_ACTION,
  SHARE_RESULT_ACTION,
} from '../../src/ids';
import {
  A_OTHER,
  A_REQ,
  Harness,
  P_DOCS,
  P_WEB,
  S_BUGS,
  SECRETS,
  W,
  eventually,
  startHarness,
} from '../helpers/bridge-harness';
import { openShortcutModal } from '../helpers/modal-flow';

const today = () => DateTime.now().setZone('America/New_York');

/** Runs `/asana <text>` as `user` and waits for the reply at response_url. */
async function command(h: Harness, text: string, fields: Record<string, string> = {}) {
  const before = h.slack.responses().length;
  const ack = await h.driver.command({ text, ...fields });
  if (typeof ack.body === 'object' && ack.body.text) return { ...ack.body, responseUrl: undefined };
  await eventually(() => h.slack.responses().length > before, 10_000);
  const post = h.slack.responses()[before];
  return { ...post.body, responseUrl: post.url };
}

/** Every button and picker in a reply, with the message they sit in. */
function actionsOf(body: { blocks?: Array<Record<string, any>> }) {
  return (body.blocks ?? [])
    .filter((b) => b.type === 'actions')
    .flatMap((b) => b.elements.map((e: Record<string, any>) => ({ ...e, block_id: b.block_id })));
}

function findAction(body: { blocks?: Array<Record<string, any>> }, actionId: string, taskGid?: string) {
  const found = actionsOf(body).find(
    (a) => a.action_id === actionId && (!taskGid || String(a.value ?? a.block_id).includes(taskGid)),
  );
  if (!found) throw new Error(`no ${actionId} in reply`);
  return found;
}

/** Clicks a button in an ephemeral reply, as Slack sends it (container.is_ephemeral, no message). */
async function click(
  h: Harness,
  body: any,
  actionId: string,
  extra: Record<string, unknown> = {},
  taskGid?: string,
) {
  const action = findAction(body, actionId, taskGid);
  const before = h.slack.responses().length;
  const ack = await h.driver.interaction({
    type: 'block_actions',
    team: { id: h.slack.teamId, domain: 'example' },
    user: { id: 'U_REQ', username: 'req', name: 'req', team_id: h.slack.teamId },
    api_app_id: h.slack.appId,
    container: { type: 'message', message_ts: '1700000000.000001', channel_id: 'C_GEN', is_ephemeral: true },
    channel: { id: 'C_GEN', name: 'general' },
    trigger_id: h.slack.issueTriggerId(),
    response_url: h.slack.responseUrl(),
    actions: [
      {
        action_id: actionId,
        block_id: action.block_id,
        type: action.type,
        value: action.value,
        action_ts: `${Date.now() / 1000}`,
        ...extra,
      },
    ],
  });
  expect(ack.status).toBe(200);
  await eventually(() => h.slack.responses().length > before, 10_000);
  return h.slack.responses()[before];
}

describe('the /asana command set, over HTTP', () => {
  let h: Harness;
  const gids: Record<string, string> = {};

  beforeAll(async () => {
    h = await startHarness({
      seed: (asana) => {
        const d = (days: number) => today().plus({ days }).toISODate()!;
        const add = (name: string, extra: Record<string, unknown> = {}) => {
          gids[name] = asana.addTask({
            name,
            workspace: W,
            assignee: A_REQ,
            projects: [P_WEB],
            ...extra,
          }).gid;
        };
        add('Due next week', { due_on: d(7) });
        add('Overdue report', { due_on: d(-3) });
        add('No date at all');
        add('Due today', { due_on: d(0) });
        for (let i = 1; i <= 14; i++)
          add(`Backlog item ${String(i).padStart(2, '0')}`, { due_on: d(30 + i) });
        add('Someone else’s', { assignee: A_OTHER });
        add('Already done', { completed: true });
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  describe('mine', () => {
    it('lists my open tasks, overdue first, then by due date, undated last, ten a page', async () => {
      const body = await command(h, 'mine');

      const text = JSON.stringify(body.blocks);
      expect(text.indexOf('Overdue report')).toBeLessThan(text.indexOf('Due today'));
      expect(text.indexOf('Due today')).toBeLessThan(text.indexOf('Due next week'));
      expect(text).not.toContain('Someone else');
      expect(text).not.toContain('Already done');
      expect(text).toContain('(1–10 of 18)');
      expect(body.blocks.length).toBeLessThanOrEqual(50);
    });

    it('pages with More and ends with the undated task', async () => {
      const first = await command(h, 'list');
      const second = await click(h, first, MORE_TASKS_ACTION);

      expect(second.body.replace_original).toBe(true);
      const text = JSON.stringify(second.body.blocks);
      expect(text).toContain('(11–18 of 18)');
      expect(text).toContain('No date at all');
      expect(() => findAction(second.body, MORE_TASKS_ACTION)).toThrow();
    });

    it('tells an unmapped person why there is no list', async () => {
      const body = await command(h, 'mine', { user_id: 'U_NOMAP' });

      expect(body.text).toMatch(/No Map has no Asana account/);
    });
  });

  describe('show, done, reopen', () => {
    it('shows a task from either link form, wrapped or not, or a gid', async () => {
      const gid = gids['Due today'];
      const forms = [
        gid,
        `https://app.asana.com/0/${P_WEB}/${gid}`,
        `<https://app.asana.com/1/${W}/project/${P_WEB}/task/${gid}|Due today>`,
      ];
      for (const form of forms) {
        const body = await command(h, `show ${form}`);
        expect(JSON.stringify(body.blocks)).toContain('Due today');
        for (const id of [
          COMPLETE_TASK_ACTION,
          ASSIGN_TO_ME_ACTION,
          SET_DUE_DATE_ACTION,
          SHARE_RESULT_ACTION,
        ]) {
          expect(() => findAction(body, id)).not.toThrow();
        }
      }
    });

    it('shows the description’s formatting, with nothing that can ping', async () => {
      const gid = h.asana.addTask({
        name: 'Formatted notes',
        workspace: W,
        html_notes:
          '<body><strong>Ship</strong> it &lt;!channel&gt; <a href="https://example.com">spec</a></body>',
        notes: 'Ship it <!channel> spec',
      }).gid;

      const body = await command(h, `show ${gid}`);

      const text = JSON.stringify(body.blocks);
      expect(text).toContain('*Ship*');
      expect(text).toContain('<https://example.com|spec>');
      expect(text).not.toContain('<!channel>');
    });

    it('marks done and reopens', async () => {
      const gid = gids['Backlog item 01'];

      await command(h, `done ${gid}`);
      expect(h.asana.task(gid)!.completed).toBe(true);
      const reopened = await command(h, `reopen https://app.asana.com/0/${P_WEB}/${gid}`);
      expect(h.asana.task(gid)!.completed).toBe(false);
      expect(reopened.text).toMatch(/Reopened/);
    });

    it.each([
      ['show', /Which task\?/],
      ['show not-a-task', /Which task\?/],
      ['done https://example.com/0/1/2', /Which task\?/],
      ['show 999999999999', /can't find it/],
    ])('answers `%s` clearly', async (text, expected) => {
      const body = await command(h, text);
      expect(body.text).toMatch(expected);
    });
  });

  describe('assign', () => {
    it('assigns to a mentioned person, to me, and to nobody', async () => {
      const gid = gids['Backlog item 02'];

      await command(h, `assign ${gid} <@U_OTHER|other>`);
      expect(h.asana.task(gid)!.assignee).toBe(A_OTHER);
      await command(h, `assign ${gid} me`);
      expect(h.asana.task(gid)!.assignee).toBe(A_REQ);
      await command(h, `assign ${gid} nobody`);
      expect(h.asana.task(gid)!.assignee).toBeNull();
    });

    it('changes nothing for a person without Asana, or nobody named', async () => {
      const gid = gids['Backlog item 03'];

      expect((await command(h, `assign ${gid} <@U_NOMAP|nomap>`)).text).toMatch(
        /no Asana account.*nothing changed/,
      );
      expect((await command(h, `assign ${gid} bob`)).text).toMatch(/Whom should I assign/);
      expect(h.asana.task(gid)!.assignee).toBe(A_REQ);
    });
  });

  describe('due', () => {
    it('sets a date, a time, and clears', async () => {
      const gid = gids['Backlog item 04'];

      await command(h, `due ${gid} 2031-07-01`);
      expect(h.asana.task(gid)!.due_on).toBe('2031-07-01');
      await command(h, `due ${gid} 2031-07-02 3pm`);
      const task = h.asana.task(gid)!;
      expect([task.due_on, task.due_at]).toEqual([null, '2031-07-02T19:00:00.000Z']);
      await command(h, `due ${gid} none`);
      expect([h.asana.task(gid)!.due_on, h.asana.task(gid)!.due_at]).toEqual([null, null]);
    });

    it('reads a Slack date token by its timestamp, in the person’s zone', async () => {
      const gid = gids['Backlog item 04'];

      await command(h, `due ${gid} <!date^1924905600^{date}|Jan 1st>`);

      expect(h.asana.task(gid)!.due_on).toBe('2030-12-30'); // 2030-12-31T00:00Z is still the 30th in New York
    });

    it('refuses an impossible date and changes nothing', async () => {
      const gid = gids['Backlog item 05'];
      const before = h.asana.task(gid)!.due_on;

      expect((await command(h, `due ${gid} 2024-02-30`)).text).toMatch(/date/i);
      expect((await command(h, `due ${gid}`)).text).toMatch(/Which date\?/);
      expect(h.asana.task(gid)!.due_on).toBe(before);
    });
  });

  describe('comment', () => {
    it('adds a rich-text comment with a real mention and the author', async () => {
      const gid = gids['Backlog item 06'];

      await command(h, `comment ${gid} *Ship it* after <@U_OTHER|other> reviews R&amp;D notes`);

      const story = h.asana.stories(gid).at(-1)!;
      expect(story.html_text).toContain('<strong>Ship it</strong>');
      expect(story.html_text).toContain(`data-asana-gid="${A_OTHER}"`);
      expect(story.text).toContain('R&D notes');
      expect(story.text).toContain('Req User, via Slack');
    });

    it('posts a comment once when Asana loses its answer', async () => {
      const gid = gids['Backlog item 07'];
      const count = h.asana.stories(gid).length;
      h.asana.fail({ method: 'POST', path: `/tasks/${gid}/stories`, status: 502, applyThenFail: true });

      const body = await command(h, `comment ${gid} Lost answer, <https://example.com|see the doc>`);

      expect(body.text).toMatch(/Comment added/);
      expect(h.asana.stories(gid).length).toBe(count + 1);
    });

    it('refuses an empty comment', async () => {
      const gid = gids['Backlog item 06'];
      const count = h.asana.stories(gid).length;

      expect((await command(h, `comment ${gid}`)).text).toMatch(/What should the comment say/);
      expect(h.asana.stories(gid).length).toBe(count);
    });
  });

  describe('find', () => {
    it('falls back to name matching on a free plan, and says so', async () => {
      h.asana.premium = false;
      const searches = h.asana.count('GET', /\/tasks\/search$/);

      const body = await command(h, 'find backlog item 07');

      expect(h.asana.count('GET', /\/tasks\/search$/)).toBe(searches + 1);
      expect(JSON.stringify(body.blocks)).toContain('Backlog item 07');
      expect(JSON.stringify(body.blocks)).toMatch(/paid Asana plan/);
    });

    it('uses full-text search on a paid plan', async () => {
      h.asana.premium = true;

      const body = await command(h, 'find overdue');

      expect(JSON.stringify(body.blocks)).toContain('Overdue report');
      expect(JSON.stringify(body.blocks)).not.toMatch(/paid Asana plan/);
    });

    it('asks what to look for', async () => {
      expect((await command(h, 'find')).text).toMatch(/What should I look for/);
    });
  });

  describe('projects', () => {
    it('lists projects matching a filter', async () => {
      const body = await command(h, 'projects web');

      expect(body.text).toContain('Web App');
      expect(body.text).not.toContain('Docs');
    });
  });

  describe('channel defaults', () => {
    it('sets, uses, shows and clears a default for create and the shortcut', async () => {
      expect((await command(h, 'channel', { channel_id: 'C_DEF' })).text).toMatch(/no default project/);
      await command(h, 'channel Web App / Bugs', { channel_id: 'C_DEF' });
      expect((await command(h, 'channel', { channel_id: 'C_DEF' })).text).toContain('Web App / Bugs');

      await command(h, 'create Defaulted task', { channel_id: 'C_DEF' });
      const task = h.asana.tasks().find((t) => t.name === 'Defaulted task')!;
      expect(task.memberships).toEqual([{ project: P_WEB, section: S_BUGS }]);
      await command(h, 'create Named project wins in Docs', { channel_id: 'C_DEF' });
      expect(h.asana.tasks().find((t) => t.name === 'Named project wins')!.projects).toEqual([P_DOCS]);

      const { view } = await openShortcutModal(
        h,
        CREATE_TASK_SHORTCUT,
        { ts: '1700000000.000900', user: 'U_REQ', text: 'From the default channel' },
        { channelId: 'C_DEF' },
      );
      const picker = view.blocks.find((b: { block_id: string }) => b.block_id === PROJECT_BLOCK).element;
      expect(picker.initial_option.value).toBe(P_WEB);

      expect((await command(h, 'channel none', { channel_id: 'C_DEF' })).text).toMatch(
        /no longer has a default/,
      );
      expect((await command(h, 'channel Nope Nope', { channel_id: 'C_DEF' })).text).toMatch(
        /couldn't find a project/,
      );
    });
  });

  describe('create', () => {
    it('creates one task per line and confirms once', async () => {
      const body = await command(
        h,
        'create First of three in Docs\nSecond of three due 2031-01-01\nThird of three',
      );

      expect(body.text).toMatch(/Created 3 Asana tasks/);
      for (const name of ['First of three', 'Second of three', 'Third of three']) {
        expect(h.asana.tasks().filter((t) => t.name === name)).toHaveLength(1);
      }
    });

    it('creates none when one line is wrong', async () => {
      const before = h.asana.tasks().length;

      const body = await command(h, 'create Good line\nBad line due 2024-02-30');

      expect(body.text).toMatch(/Line 2/);
      expect(h.asana.tasks().length).toBe(before);
    });

    it('adds the requester as a follower', async () => {
      await command(h, 'create Followed task');

      expect(h.asana.tasks().find((t) => t.name === 'Followed task')!.followers).toContain(A_REQ);
    });
  });

  describe('buttons', () => {
    it('completes, reopens, assigns to me and sets a due date, redrawing the message in place', async () => {
      const gid = gids['Backlog item 08'];
      const card = await command(h, `show ${gid}`);

      const completed = await click(h, card, COMPLETE_TASK_ACTION);
      expect(h.asana.task(gid)!.completed).toBe(true);
      expect(completed.body.replace_original).toBe(true);
      expect(JSON.stringify(completed.body.blocks)).toContain('Marked complete');

      await click(h, completed.body, REOPEN_TASK_ACTION);
      expect(h.asana.task(gid)!.completed).toBe(false);

      await command(h, `assign ${gid} nobody`);
      await click(h, card, ASSIGN_TO_ME_ACTION);
      expect(h.asana.task(gid)!.assignee).toBe(A_REQ);

      await click(h, card, SET_DUE_DATE_ACTION, { selected_date: '2031-09-09', type: 'datepicker' });
      expect(h.asana.task(gid)!.due_on).toBe('2031-09-09');
    });

    it('completes one task inside a list and redraws the list', async () => {
      const list = await command(h, 'mine');
      const gid = gids['Overdue report'];

      const redrawn = await click(h, list, COMPLETE_TASK_ACTION, {}, gid);

      expect(h.asana.task(gid)!.completed).toBe(true);
      expect(JSON.stringify(redrawn.body.blocks)).not.toContain('Overdue report');
    });

    it('shares a result with the channel', async () => {
      const card = await command(h, `show ${gids['Due today']}`);

      const shared = await click(h, card, SHARE_RESULT_ACTION);

      expect(shared.body.response_type).toBe('in_channel');
      expect(JSON.stringify(shared.body.blocks)).toContain('Shared by Req User');
      expect(() => findAction(shared.body, SHARE_RESULT_ACTION)).toThrow();
    });

    it('replies afresh when the response_url is used up', async () => {
      const gid = gids['Backlog item 09'];
      const card = await command(h, `show ${gid}`);
      const url = h.slack.responseUrl();
      for (let i = 0; i < 5; i++)
        await fetch(url, {
          method: 'POST',
          body: JSON.stringify({ text: 'use' }),
          headers: { 'content-type': 'application/json' },
        });
      const ephemerals = h.slack.callsTo('chat.postEphemeral').length;

      const action = findAction(card, COMPLETE_TASK_ACTION);
      await h.driver.interaction({
        type: 'block_actions',
        team: { id: h.slack.teamId, domain: 'example' },
        user: { id: 'U_REQ', username: 'req', name: 'req', team_id: h.slack.teamId },
        container: {
          type: 'message',
          message_ts: '1700000000.000002',
          channel_id: 'C_GEN',
          is_ephemeral: true,
        },
        channel: { id: 'C_GEN', name: 'general' },
        response_url: url,
        actions: [
          {
            action_id: COMPLETE_TASK_ACTION,
            block_id: action.block_id,
            type: 'button',
            value: action.value,
            action_ts: '1',
          },
        ],
      });

      await eventually(() => h.slack.callsTo('chat.postEphemeral').length > ephemerals);
      expect(h.asana.task(gid)!.completed).toBe(true);
      expect(h.slack.callsTo('chat.postEphemeral')[ephemerals].args.user).toBe('U_REQ');
    });
  });

  it('records no refused Slack call and no secret in the logs', () => {
    // The one used_url refusal is the test above spending a response_url on purpose.
    const refused = h.slack.errors.filter((e) => e.response?.error !== 'used_url');
    expect(refused.map((e) => `${e.method}: ${JSON.stringify(e.response)}`)).toEqual([]);
    for (const secret of Object.values(SECRETS)) expect(h.logs.join('')).not.toContain(secret);
  });
});
