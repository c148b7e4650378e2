import { FakeAsanaServer } from '../fakes/fake-asana-server';
import {
  A_BRIDGE,
  A_REQ,
  Harness,
  P_DOCS,
  P_WEB,
  P_ZETA,
  S_BUGS,
  SECRETS,
  W,
  eventually,
  startHarness,
} from '../helpers/bridge-harness';

/** Runs `/asana <text>` as U_REQ in #general and returns the ack plus the first reply at response_url. */
async function run(h: Harness, text: string | undefined, fields: Record<string, string> = {}) {
  const before = h.slack.responses().length;
  const ack = await h.driver.command({ ...(text === undefined ? { omitText: true } : { text }), ...fields });
  const ackText: string = typeof ack.body === 'object' ? (ack.body.text ?? '') : '';
  const reply = async () => {
    await eventually(() => h.slack.responses().length > before, 10_000);
    return h.slack.responses()[before].body;
  };
  return { ack, ackText, reply };
}

describe('/asana create over HTTP', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness();
  });
  afterAll(async () => {
    await h.close();
  });
  beforeEach(() => {
    h.asana.clearFaults();
  });

  it('creates the task and replies privately with a link', async () => {
    const { ack, reply } = await run(h, 'create Update onboarding doc');

    expect(ack.status).toBe(200);
    const body = await reply();
    const task = h.asana.tasks().find((t) => t.name === 'Update onboarding doc');
    expect(task).toBeDefined();
    expect(body.response_type).toBe('ephemeral');
    expect(JSON.stringify(body.blocks)).toContain(task!.gid);
    expect(body.text).toContain('Update onboarding doc');
    expect(task!.workspace).toBe(W);
    expect(task!.notes).toContain('Created from Slack by Req User');
  });

  it('acknowledges within 3 s while Asana takes 5 s, then answers', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', delayMs: 5_000 });

    const { ack, reply } = await run(h, 'create Slow Asana task');

    // A bound for the protocol, not a benchmark: Slack gives up at 3 s.
    expect(ack.ms).toBeLessThan(3_000);
    const body = await reply();
    expect(body.text).toContain('Slow Asana task');
    expect(h.asana.tasks().filter((t) => t.name === 'Slow Asana task')).toHaveLength(1);
  });

  it('creates exactly one task when Asana answers 429 first', async () => {
    h.asana.fail({ method: 'POST', path: '/tasks', status: 429, retryAfterSeconds: 0.05 });

    const { reply } = await run(h, 'create Rate limited once');

    await reply();
    expect(h.asana.tasks().filter((t) => t.name === 'Rate limited once')).toHaveLength(1);
  });

  it('finds a create whose answer was lost instead of creating it twice', async () => {
    h.asana.fail({
      method: 'POST',
      path: '/tasks',
      status: 500,
      phrase: 'six sad squid snuggle',
      applyThenFail: true,
    });

    const { reply } = await run(h, 'create Lost reply task in Web App');

    const body = await reply();
    expect(body.text).toContain('Lost reply task');
    expect(h.asana.tasks().filter((t) => t.name === 'Lost reply task')).toHaveLength(1);
  });

  it('decodes Slack escapes and mentions so the name is what the person typed', async () => {
    const text =
      'create Ask <@U_OTHER|oldname> about R&amp;D &lt;draft&gt; on <#C_GEN|general>, see <https://example.com/spec?a=1&amp;b=2|the spec> <!here>';

    await (await run(h, text)).reply();

    const names = h.asana.tasks().map((t) => t.name);
    expect(names).toContain(
      'Ask @Other User about R&D <draft> on #general, see the spec (https://example.com/spec?a=1&b=2) @here',
    );
  });

  it('keeps a literal entity the person typed', async () => {
    await (await run(h, 'create Q3 R&amp;D budget &lt;draft&gt; uses &amp;lt;tag&amp;gt; literally')).reply();

    expect(h.asana.tasks().map((t) => t.name)).toContain('Q3 R&D budget <draft> uses &lt;tag&gt; literally');
  });

  it('places the task in a project, a section, with a due date and an assignee', async () => {
    const body = await (
      await run(h, 'create "Fix typo in README" due 2031-05-06 in Web App / Bugs for me')
    ).reply();

    const task = h.asana.tasks().find((t) => t.name === 'Fix typo in README')!;
    expect(task.projects).toEqual([P_WEB]);
    expect(task.memberships).toEqual([{ project: P_WEB, section: S_BUGS }]);
    expect(task.due_on).toBe('2031-05-06');
    expect(task.assignee).toBe(A_REQ);
    expect(JSON.stringify(body.blocks)).toContain('Web App');
  });

  it('falls back to the project when a cached section was deleted, and says so (C24)', async () => {
    h.asana.addSection({ gid: '1300000000000077', name: 'Doomed', project: P_DOCS });
    await (await run(h, 'create Warm the section cache in Docs / Doomed')).reply();
    h.asana.deleteSection('1300000000000077');

    const body = await (await run(h, 'create After the section went in Docs / Doomed')).reply();

    const task = h.asana.tasks().find((t) => t.name === 'After the section went')!;
    expect(task.projects).toEqual([P_DOCS]);
    expect(JSON.stringify(body.blocks)).toMatch(/section is no longer in Asana/);
  });

  it('rejects unsigned, tampered and stale requests without touching Asana (C26)', async () => {
    const before = h.asana.requests.length;
    try {
      h.driver.corruptSignature = true;
      expect((await h.driver.command({ text: 'create Tampered' })).status).toBe(401);
      h.driver.corruptSignature = false;
      h.driver.timestampOffsetSeconds = -360;
      expect((await h.driver.command({ text: 'create Stale' })).status).toBe(401);
    } finally {
      h.driver.corruptSignature = false;
      h.driver.timestampOffsetSeconds = 0;
    }
    expect(h.asana.requests.length).toBe(before);

    await (await run(h, 'create R&amp;D &lt;draft&gt; + 50%')).reply();
    expect(h.asana.tasks().map((t) => t.name)).toContain('R&D <draft> + 50%');
  });

  it('accepts curly quotes and keyword forms', async () => {
    await (await run(h, 'create “Fix login on Safari” project:“Zeta Launch” due:2031-01-02')).reply();

    const task = h.asana.tasks().find((t) => t.name === 'Fix login on Safari')!;
    expect(task.projects).toEqual([P_ZETA]);
    expect(task.due_on).toBe('2031-01-02');
  });

  it('resolves today in the person’s time zone', async () => {
    await (await run(h, 'create Zone check due today in Docs')).reply();

    const task = h.asana.tasks().find((t) => t.name === 'Zone check')!;
    const nowInNewYork = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(
      new Date(),
    );
    expect(task.due_on).toBe(nowInNewYork);
    expect(task.projects).toEqual([P_DOCS]);
  });

  it('creates unassigned and says why when the person has no Asana account', async () => {
    const body = await (await run(h, 'create Map me not for <@U_NOMAP|nomap>')).reply();

    const task = h.asana.tasks().find((t) => t.name === 'Map me not')!;
    expect(task.assignee).toBeNull();
    expect(JSON.stringify(body.blocks)).toContain('unassigned');
  });

  it('accepts a leap day and a start before the due date (C17)', async () => {
    await (await run(h, 'create Leap day task due:2024-02-29')).reply();
    await (await run(h, 'create Ranged task start:2031-05-01 due:2031-05-10')).reply();

    expect(h.asana.tasks().find((t) => t.name === 'Leap day task')!.due_on).toBe('2024-02-29');
    const ranged = h.asana.tasks().find((t) => t.name === 'Ranged task')!;
    expect([ranged.start_on, ranged.due_on]).toEqual(['2031-05-01', '2031-05-10']);
  });

  describe('refuses bad input clearly and creates nothing', () => {
    const cases: Array<[string, string | undefined, RegExp]> = [
      ['no text field', undefined, /Asana from Slack/],
      ['empty text', '', /Asana from Slack/],
      ['only spaces', '   ', /Asana from Slack/],
      ['a non-breaking space', '\u00a0', /Asana from Slack/],
      ['create without a name', 'create', /Give the task a name/],
      ['an unknown subcommand', 'craete Fix it', /Did you mean `create`/],
      ['an unbalanced quote', 'create “Unbalanced title project:Web', /quote/i],
    ];
    it.each(cases)('%s', async (_label, text, expected) => {
      const posts = h.asana.count('POST', '/tasks');
      const { ack, ackText, reply } = await run(h, text);

      expect(ack.status).toBe(200);
      const shown = ackText || (await reply()).text;
      expect(shown).toMatch(expected);
      expect(h.asana.count('POST', '/tasks')).toBe(posts);
    });

    const asyncCases: Array<[string, string, RegExp]> = [
      [
        'an unknown project',
        'create Orphan task in Nonexistent Project',
        /couldn't find a project called “Nonexistent Project”/,
      ],
      ['an ambiguous project', 'create Orphan task in a', /matches several/],
      ['an impossible date', 'create Leap task due 2024-02-30', /2024-02-30|date/i],
      ['a date that does not parse', 'create Vague task due someday soonish', /date/i],
      ['a non-leap 29 February', 'create Not leap due:2023-02-29', /2023-02-29|date/i],
      ['a start without a due date', 'create Startless start:2031-05-01', /due/i],
      [
        'a start after the due date',
        'create Backwards start:2031-05-10 due:2031-05-01',
        /after the due date/,
      ],
    ];
    it.each(asyncCases)('%s', async (_label, text, expected) => {
      const posts = h.asana.count('POST', '/tasks');
      const body = await (await run(h, text)).reply();

      expect(body.response_type).toBe('ephemeral');
      expect(body.text).toMatch(expected);
      expect(h.asana.count('POST', '/tasks')).toBe(posts);
    });
  });

  it('refuses people from another organisation and other teams', async () => {
    const posts = h.asana.count('POST', '/tasks');

    const external = await (await run(h, 'create Guest task', { user_id: 'U_EXT' })).reply();
    const otherTeam = await run(h, 'create Other team task', { team_id: 'T_ELSEWHERE' });

    expect(external.text).toMatch(/outside this organisation/);
    expect(otherTeam.ackText).toMatch(/only the Slack workspace it is installed in/);
    expect(h.asana.count('POST', '/tasks')).toBe(posts);
  });

  it('writes no secret to any log line', () => {
    const output = h.logs.join('');
    expect(output.length).toBeGreaterThan(0);
    for (const secret of Object.values(SECRETS)) expect(output).not.toContain(secret);
  });
});

/** The PAT's user also belongs to a personal workspace. */
function addPersonalWorkspace(asana: FakeAsanaServer): void {
  asana.addWorkspace({ gid: '1100000000000002', name: 'Personal' });
  asana.user(A_BRIDGE)!.workspaces.push('1100000000000002');
}

describe('start-up with several Asana workspaces (C28)', () => {
  it('refuses to guess and lists them with their gids', async () => {
    await expect(startHarness({ seed: addPersonalWorkspace })).rejects.toThrow(
      /ASANA_WORKSPACE_GID.*1100000000000001 \(Acme\).*1100000000000002 \(Personal\)/s,
    );
  });

  it('uses the configured one, and scopes every list call to it', async () => {
    const h = await startHarness({
      seed: addPersonalWorkspace,
      config: (config) => ({ ...config, asana: { ...config.asana, workspaceGid: W } }),
    });
    try {
      const before = h.slack.responses().length;
      await h.driver.command({ text: 'create Scoped task in Web App' });
      await eventually(() => h.slack.responses().length > before);

      expect(h.asana.tasks().find((t) => t.name === 'Scoped task')!.workspace).toBe(W);
      const lists = h.asana.requests.filter((r) => r.method === 'GET' && r.path === '/projects');
      expect(lists.every((r) => r.query.workspace === W)).toBe(true);
      expect(h.asana.requests.every((r) => r.status < 400)).toBe(true);
    } finally {
      await h.close();
    }
  });
});

describe('/asana create in a workspace of 250 projects', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startHarness({
      seed: (asana) => {
        for (let i = 1; i <= 247; i++) {
          asana.addProject({
            gid: String(1250000000000000 + i),
            name: `Project ${String(i).padStart(3, '0')}`,
            workspace: W,
          });
        }
      },
    });
  });
  afterAll(async () => {
    await h.close();
  });

  it('reads every page and finds a project from the third', async () => {
    await (await run(h, 'create Third page task in Project 240')).reply();

    const task = h.asana.tasks().find((t) => t.name === 'Third page task')!;
    expect(task.projects).toEqual([String(1250000000000240)]);
    const pages = h.asana.requests.filter((r) => r.method === 'GET' && r.path === '/projects');
    expect(pages.length).toBeGreaterThanOrEqual(3);
    for (const page of pages) expect(page.query.limit).toBe('100');
    expect(pages.every((p) => p.status === 200)).toBe(true);
  });
});
