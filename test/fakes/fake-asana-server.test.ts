import * as fs from 'node:fs';
import * as path from 'node:path';
import * as Asana from 'asana';
import Ajv, { type ValidateFunction } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { FakeAsanaServer, type Project, type Section, type User, type Workspace } from './fake-asana-server';

const TOKEN = 'test-asana-pat';

interface Seed {
  org: Workspace;
  personal: Workspace;
  me: User;
  other: User;
  web: Project;
  todo: Section;
  done: Section;
  personalProject: Project;
}

/** The field cases' cast: an organization and a personal workspace, two people, one project. */
function seed(fake: FakeAsanaServer): Seed {
  const org = fake.addWorkspace({ name: 'Org', is_organization: true });
  const personal = fake.addWorkspace({ name: 'Personal' });
  const me = fake.addUser({
    name: 'Req User',
    email: 'req@example.com',
    workspaces: [org.gid, personal.gid],
  });
  const other = fake.addUser({ name: 'Other User', email: 'other@example.com', workspaces: [org.gid] });
  const web = fake.addProject({ name: 'Web App', workspace: org.gid });
  const todo = fake.addSection({ name: 'To do', project: web.gid });
  const done = fake.addSection({ name: 'Done', project: web.gid });
  const personalProject = fake.addProject({ name: 'Chores', workspace: personal.gid });
  return { org, personal, me, other, web, todo, done, personalProject };
}

function asanaClient(fake: FakeAsanaServer, token = TOKEN): Asana.ApiClient {
  const client = new Asana.ApiClient();
  client.basePath = fake.basePath;
  client.authentications['token'].accessToken = token;
  return client;
}

interface RawResponse {
  status: number;
  headers: Headers;
  // `any` because tests walk arbitrary response shapes.
  body: any;
}

/** Plain HTTP against the fake, for checks where the client library would get in the way. */
async function call(
  fake: FakeAsanaServer,
  method: string,
  urlPath: string,
  body?: unknown,
  token: string | null = TOKEN,
): Promise<RawResponse> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (token !== null) headers.Authorization = `Bearer ${token}`;
  const res = await fetch(`${fake.basePath}${urlPath}`, {
    method,
    headers,
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined };
}

/** What superagent rejects with: status plus the parsed response. */
async function rejection(promise: Promise<unknown>): Promise<any> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail');
}

async function waitFor(predicate: () => boolean, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not met in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('FakeAsanaServer driven by the asana client', () => {
  let fake: FakeAsanaServer;
  let s: Seed;

  beforeEach(async () => {
    fake = await FakeAsanaServer.start();
    s = seed(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  it('creates a task and shapes the reply with opt_fields', async () => {
    const tasks = new Asana.TasksApi(asanaClient(fake));
    const { data, response } = await tasks.createTaskWithHttpInfo(
      {
        data: {
          name: 'Ship the bridge',
          memberships: [{ project: s.web.gid, section: s.done.gid }],
          assignee: 'other@example.com',
          due_on: '2024-02-29',
        },
      },
      {
        opt_fields:
          'name,assignee.name,memberships.project.name,memberships.section.name,permalink_url,projects.name',
      },
    );

    const gid = data.data.gid;
    expect(response.status).toBe(201);
    expect(response.headers.location).toBe(`${fake.basePath}/tasks/${gid}`);
    expect(data.data).toEqual({
      gid,
      name: 'Ship the bridge',
      assignee: { gid: s.other.gid, name: 'Other User' },
      memberships: [
        { project: { gid: s.web.gid, name: 'Web App' }, section: { gid: s.done.gid, name: 'Done' } },
      ],
      permalink_url: `https://app.asana.com/0/${s.web.gid}/${gid}`,
      projects: [{ gid: s.web.gid, name: 'Web App' }],
    });
    // The workspace came from the project; creator and assignee became followers, as in Asana.
    expect(fake.task(gid)).toMatchObject({ workspace: s.org.gid, due_on: '2024-02-29' });
    expect(fake.task(gid)?.followers).toEqual([s.me.gid, s.other.gid]);
    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([['POST', '/tasks', 201]]);
    expect(fake.requests[0].body).toEqual({ data: expect.objectContaining({ name: 'Ship the bridge' }) });
  });

  it('pages 250 projects in three pages by following next_page', async () => {
    for (let i = 1; i <= 250; i++) fake.addProject({ name: `Project ${i}`, workspace: s.personal.gid });
    fake.addProject({ name: 'Old', workspace: s.personal.gid, archived: true });
    const projects = new Asana.ProjectsApi(asanaClient(fake));

    const names: string[] = [];
    const pageSizes: number[] = [];
    let page = await projects.getProjects({ workspace: s.personal.gid, archived: false, limit: 100 });
    while (page.data) {
      pageSizes.push(page.data.length);
      names.push(...page.data.map((p: { name: string }) => p.name));
      if (page._response.next_page === null) expect(pageSizes).toHaveLength(3);
      page = await page.nextPage();
    }

    expect(pageSizes).toEqual([100, 100, 51]); // 250 + 'Chores' from the seed
    expect(names).toContain('Project 205');
    expect(names).not.toContain('Old');
    const gets = fake.requests.filter((r) => r.path === '/projects');
    expect(gets).toHaveLength(3);
    expect(gets.every((r) => r.query.limit === '100' && r.status === 200)).toBe(true);
    expect(gets[0].query.offset).toBeUndefined();
    expect(gets[1].query.offset).toBeDefined();
    expect(gets[2].query.offset).not.toBe(gets[1].query.offset);
  });

  it('rejects a wrong token with 401 Not Authorized', async () => {
    const users = new Asana.UsersApi(asanaClient(fake, 'wrong-token'));
    const err = await rejection(users.getUser('me'));
    expect(err.status).toBe(401);
    expect(err.response.body).toEqual({ errors: [{ message: 'Not Authorized' }] });
    expect(fake.requests[0].status).toBe(401);
  });

  it('answers 404 for unknown tasks and for a deleted project', async () => {
    const client = asanaClient(fake);
    const tasks = new Asana.TasksApi(client);
    expect((await rejection(tasks.getTask('1999999999999999'))).status).toBe(404);

    fake.deleteProject(s.web.gid);
    const err = await rejection(tasks.createTask({ data: { name: 'X', projects: [s.web.gid] } }));
    expect(err.status).toBe(404);
    expect(err.response.body.errors[0].message).toContain(s.web.gid);
    expect((await rejection(new Asana.ProjectsApi(client).getProject(s.web.gid))).status).toBe(404);
    expect(fake.tasks()).toHaveLength(0);
  });

  it('sends Retry-After with a scripted 429, then recovers', async () => {
    fake.fail({ method: 'GET', path: '/users/me', status: 429, retryAfterSeconds: 0.05 });
    const users = new Asana.UsersApi(asanaClient(fake));

    const err = await rejection(users.getUser('me'));
    expect(err.status).toBe(429);
    expect(err.response.headers['retry-after']).toBe('0.05');
    expect(err.response.body.errors[0].message).toMatch(/too many requests/i);

    const me = await users.getUser('me', { opt_fields: 'name,email' });
    expect(me.data).toEqual({ gid: s.me.gid, name: 'Req User', email: 'req@example.com' });
    expect(fake.requests.map((r) => r.status)).toEqual([429, 200]);
  });

  it('puts the phrase into a scripted 500', async () => {
    fake.fail({ path: /^\/tasks/, status: 500, phrase: '6 sad squid snuggle softly' });
    const err = await rejection(new Asana.TasksApi(asanaClient(fake)).getTasks({ project: s.web.gid }));
    expect(err.status).toBe(500);
    expect(err.response.body.errors[0]).toMatchObject({
      message: 'Server Error',
      phrase: '6 sad squid snuggle softly',
    });
  });

  it('answers search with 402 when the workspace is not premium', async () => {
    fake.addTask({ name: 'Onboarding checklist', workspace: s.org.gid });
    const tasks = new Asana.TasksApi(asanaClient(fake));
    fake.premium = false;
    const err = await rejection(tasks.searchTasksForWorkspace(s.org.gid, { text: 'onboarding' }));
    expect(err.status).toBe(402);
    expect(err.response.body.errors[0].message).toMatch(/premium/i);

    fake.premium = true;
    const found = await tasks.searchTasksForWorkspace(s.org.gid, { text: 'ONBOARDING', completed: false });
    expect(found.data.map((t: { name: string }) => t.name)).toEqual(['Onboarding checklist']);
    expect(found._response).not.toHaveProperty('next_page');
  });

  it('leaves a hung request open until close() destroys it', async () => {
    fake.fail({ path: '/users/me', hang: true });
    const pending = rejection(new Asana.UsersApi(asanaClient(fake)).getUser('me'));
    await waitFor(() => fake.requests.length === 1);

    const started = Date.now();
    await fake.close();
    const err = await pending;
    expect(Date.now() - started).toBeLessThan(1000);
    expect(err.status).toBeUndefined();
    expect(err.code ?? err.message).toMatch(/ECONNRESET|socket hang up/);
    expect(fake.requests[0].status).toBe(0);
  });

  it('ignores the junk query parameter the client adds to addTaskForSection', async () => {
    const task = fake.addTask({ name: 'Move me', workspace: s.org.gid, projects: [s.web.gid] });
    expect(task.memberships).toEqual([{ project: s.web.gid, section: s.todo.gid }]);

    await new Asana.SectionsApi(asanaClient(fake)).addTaskForSection(s.done.gid, {
      body: { data: { task: task.gid } },
    });

    expect(fake.requests[0].query.body).toBe('[object Object]');
    expect(fake.task(task.gid)?.memberships).toEqual([{ project: s.web.gid, section: s.done.gid }]);
  });

  it('walks user task lists, typeahead and stories through the client', async () => {
    const client = asanaClient(fake);
    fake.addTask({ name: 'Mine', workspace: s.org.gid, assignee: s.me.gid });
    fake.addTask({ name: 'Mine, done', workspace: s.org.gid, assignee: s.me.gid, completed: true });

    const list = await new Asana.UserTaskListsApi(client).getUserTaskListForUser('me', s.org.gid);
    const open = await new Asana.TasksApi(client).getTasksForUserTaskList(list.data.gid, {
      completed_since: 'now',
      limit: 10,
    });
    expect(open.data.map((t: { name: string }) => t.name)).toEqual(['Mine']);

    const hits = await new Asana.TypeaheadApi(client).typeaheadForWorkspace(s.org.gid, 'user', {
      query: 'OTHER',
    });
    expect(hits.data).toEqual([{ gid: s.other.gid, resource_type: 'user', name: 'Other User' }]);

    const stories = new Asana.StoriesApi(client);
    const task = fake.tasks()[0];
    await stories.createStoryForTask(
      { data: { html_text: '<body>Posted from <strong>Slack</strong></body>' } },
      task.gid,
    );
    expect(fake.stories(task.gid).map((x) => x.text)).toEqual(['Posted from Slack']);
    const listed = await stories.getStoriesForTask(task.gid);
    expect(listed.data[0]).toMatchObject({ resource_type: 'story', text: 'Posted from Slack' });
  });
});

describe('FakeAsanaServer request validation and model', () => {
  let fake: FakeAsanaServer;
  let s: Seed;

  beforeEach(async () => {
    fake = await FakeAsanaServer.start();
    s = seed(fake);
  });

  afterEach(async () => {
    await fake.close();
  });

  const createTask = (data: Record<string, unknown>, query = ''): Promise<RawResponse> =>
    call(fake, 'POST', `/tasks${query}`, { data });
  const message = (res: RawResponse): string => res.body.errors[0].message;

  it('rejects creates that name no workspace, project or parent', async () => {
    const res = await createTask({ name: 'Orphan' });
    expect(res.status).toBe(400);
    expect(message(res)).toMatch(/^workspace: /);
    expect(res.body.errors[0].help).toMatch(/errors/);
  });

  it.each([
    ['2024-02-30', 400],
    ['2023-02-29', 400],
    ['2024-13-01', 400],
    ['24-02-01', 400],
    ['2024-02-29', 201],
  ])('checks due_on %s is a real calendar date (%i)', async (dueOn, status) => {
    const res = await createTask({ name: 'Dated', workspace: s.org.gid, due_on: dueOn });
    expect(res.status).toBe(status);
    if (status === 400) expect(message(res)).toMatch(/^due_on: /);
  });

  it('enforces Asana date rules', async () => {
    const both = await createTask({
      name: 'X',
      workspace: s.org.gid,
      due_on: '2024-05-01',
      due_at: '2024-05-01T09:00:00Z',
    });
    expect(both.status).toBe(400);
    const startOnly = await createTask({ name: 'X', workspace: s.org.gid, start_on: '2024-05-01' });
    expect(message(startOnly)).toMatch(/^start_on: /);
    const startAfterDue = await createTask({
      name: 'X',
      workspace: s.org.gid,
      start_on: '2024-05-10',
      due_on: '2024-05-01',
    });
    expect(startAfterDue.status).toBe(400);
    const badTime = await createTask({ name: 'X', workspace: s.org.gid, due_at: '2024-05-01T25:00:00Z' });
    expect(message(badTime)).toMatch(/^due_at: /);
    const ok = await createTask(
      { name: 'X', workspace: s.org.gid, due_at: '2024-05-01T09:00:00+02:00' },
      '?opt_fields=due_at,due_on',
    );
    expect(ok.body.data).toEqual({
      gid: expect.any(String),
      due_at: '2024-05-01T07:00:00.000Z',
      due_on: null,
    });
  });

  it.each([
    ['<body>unclosed <strong>bold</body>'],
    ['plain text'],
    ['<body><b>not asana</b></body>'],
    ['<body>a &nbsp; b</body>'],
    ['<body>x</body><body>y</body>'],
    ['<p>x</p>'],
    ['<body><em class="x">y</em></body>'],
  ])('rejects html_notes %s with xml_parsing_error', async (html) => {
    const res = await createTask({ name: 'Rich', workspace: s.org.gid, html_notes: html });
    expect(res.status).toBe(400);
    expect(message(res)).toMatch(/^html_notes: .*xml_parsing_error/);
  });

  it('accepts Asana rich text and keeps notes in step', async () => {
    const html =
      '<body><h1>Plan</h1><ul><li>one &amp; two</li></ul><a href="https://example.com">link</a><hr/></body>';
    const res = await createTask(
      { name: 'Rich', workspace: s.org.gid, html_notes: html },
      '?opt_fields=notes,html_notes',
    );
    expect(res.status).toBe(201);
    expect(res.body.data).toEqual({
      gid: expect.any(String),
      html_notes: html,
      notes: 'Plan\none & two\nlink\n',
    });

    const plain = await createTask(
      { name: 'Plain', workspace: s.org.gid, notes: 'a < b' },
      '?opt_fields=html_notes',
    );
    expect(plain.body.data.html_notes).toBe('<body>a &lt; b</body>');
  });

  it('requires the {data: ...} envelope and valid JSON', async () => {
    expect((await call(fake, 'POST', '/tasks', { name: 'Bare', workspace: s.org.gid })).status).toBe(400);
    expect((await call(fake, 'POST', '/tasks', '{not json')).status).toBe(400);
    expect(fake.requests[1].body).toBeUndefined();
  });

  it('keeps a task and its projects in one workspace', async () => {
    const clash = await createTask({ name: 'X', workspace: s.org.gid, projects: [s.personalProject.gid] });
    expect(clash.status).toBe(400);
    expect(message(clash)).toMatch(/^projects: /);
    const derived = await createTask(
      { name: 'X', projects: [s.personalProject.gid] },
      '?opt_fields=workspace',
    );
    expect(derived.body.data.workspace).toEqual({ gid: s.personal.gid, resource_type: 'workspace' });
    const section = await createTask({
      name: 'X',
      memberships: [{ project: s.web.gid, section: s.personalProject.gid }],
    });
    expect(section.status).toBe(404);
  });

  it('resolves assignee from me, an email or a gid', async () => {
    const q = '?opt_fields=assignee.email';
    expect(
      (await createTask({ name: 'a', workspace: s.org.gid, assignee: 'me' }, q)).body.data.assignee.email,
    ).toBe('req@example.com');
    expect(
      (await createTask({ name: 'b', workspace: s.org.gid, assignee: 'OTHER@example.com' }, q)).body.data
        .assignee.gid,
    ).toBe(s.other.gid);
    expect((await createTask({ name: 'c', workspace: s.org.gid, assignee: s.other.gid }, q)).status).toBe(
      201,
    );
    expect(
      (await createTask({ name: 'd', workspace: s.org.gid, assignee: 'ghost@example.com' })).status,
    ).toBe(404);
    expect((await createTask({ name: 'e', workspace: s.personal.gid, assignee: s.other.gid })).status).toBe(
      400,
    );
  });

  it('returns compact records in lists and full records for single objects', async () => {
    const task = fake.addTask({ name: 'T', workspace: s.org.gid, projects: [s.web.gid], assignee: s.me.gid });
    const list = await call(fake, 'GET', `/projects/${s.web.gid}/tasks`);
    expect(list.body).toEqual({
      data: [{ gid: task.gid, resource_type: 'task', name: 'T', resource_subtype: 'default_task' }],
    });

    const one = await call(fake, 'GET', `/tasks/${task.gid}`);
    expect(one.body.data).toMatchObject({
      gid: task.gid,
      completed: false,
      assignee: { gid: s.me.gid, resource_type: 'user', name: 'Req User' },
      workspace: { gid: s.org.gid, resource_type: 'workspace', name: 'Org' },
    });
    expect(one.body.data).not.toHaveProperty('html_notes'); // opt-in in the spec

    const refs = await call(fake, 'GET', `/tasks/${task.gid}?opt_fields=assignee,memberships`);
    expect(refs.body.data).toEqual({
      gid: task.gid,
      assignee: { gid: s.me.gid, resource_type: 'user' },
      memberships: [
        {
          project: { gid: s.web.gid, resource_type: 'project' },
          section: { gid: s.todo.gid, resource_type: 'section' },
        },
      ],
    });
  });

  it('updates, completes and deletes a task', async () => {
    const task = fake.addTask({ name: 'T', workspace: s.org.gid, assignee: s.me.gid, due_on: '2024-05-01' });
    const put = (data: Record<string, unknown>): Promise<RawResponse> =>
      call(fake, 'PUT', `/tasks/${task.gid}?opt_fields=completed,completed_at,due_on,due_at,assignee`, {
        data,
      });

    const done = await put({ completed: true, due_at: '2024-05-02T10:00:00.000Z', assignee: null });
    expect(done.body.data).toMatchObject({
      completed: true,
      due_on: null,
      due_at: '2024-05-02T10:00:00.000Z',
      assignee: null,
    });
    expect(done.body.data.completed_at).toEqual(expect.any(String));
    expect((await put({ due_on: null })).body.data.due_on).toBeNull();
    expect((await put({ projects: [s.web.gid] })).status).toBe(400);

    expect((await call(fake, 'DELETE', `/tasks/${task.gid}`)).body).toEqual({ data: {} });
    expect((await call(fake, 'GET', `/tasks/${task.gid}`)).status).toBe(404);
    expect(fake.task(task.gid)).toBeUndefined();
  });

  it('filters GET /tasks and insists on a project or assignee + workspace', async () => {
    fake.addTask({ name: 'Open', workspace: s.org.gid, assignee: s.me.gid });
    fake.addTask({ name: 'Closed', workspace: s.org.gid, assignee: s.me.gid, completed: true });
    expect((await call(fake, 'GET', '/tasks')).status).toBe(400);
    expect((await call(fake, 'GET', '/tasks?assignee=me')).status).toBe(400);

    const all = await call(fake, 'GET', `/tasks?assignee=me&workspace=${s.org.gid}`);
    expect(all.body.data).toHaveLength(2);
    const open = await call(fake, 'GET', `/tasks?assignee=me&workspace=${s.org.gid}&completed_since=now`);
    expect(open.body.data.map((t: { name: string }) => t.name)).toEqual(['Open']);
    expect(
      (await call(fake, 'GET', `/tasks?assignee=me&workspace=${s.org.gid}&completed_since=yesterday`)).status,
    ).toBe(400);
  });

  it('enforces limit, offset and the unpaginated size cap', async () => {
    for (let i = 0; i < 101; i++) fake.addProject({ name: `P${i}`, workspace: s.org.gid });
    const tooLarge = await call(fake, 'GET', `/projects?workspace=${s.org.gid}`);
    expect(tooLarge.status).toBe(400);
    expect(message(tooLarge)).toMatch(/too large.*pagination/i);
    expect((await call(fake, 'GET', '/projects?limit=10')).status).toBe(400); // no workspace
    expect((await call(fake, 'GET', `/projects?workspace=${s.org.gid}&limit=0`)).status).toBe(400);
    expect((await call(fake, 'GET', `/projects?workspace=${s.org.gid}&limit=101`)).status).toBe(400);
    expect((await call(fake, 'GET', `/projects?workspace=${s.org.gid}&limit=10&offset=made-up`)).status).toBe(
      400,
    );

    const first = await call(fake, 'GET', `/projects?workspace=${s.org.gid}&limit=100&junk=1`);
    const next = first.body.next_page;
    expect(next.path).toBe(`/projects?workspace=${s.org.gid}&limit=100&junk=1&offset=${next.offset}`);
    expect(next.uri).toBe(`${fake.basePath}${next.path}`);
    // A token is only good for the list that issued it.
    expect(
      (await call(fake, 'GET', `/workspaces/${s.org.gid}/projects?limit=100&offset=${next.offset}`)).status,
    ).toBe(400);
    const last = await call(fake, 'GET', next.path);
    expect(last.body.data).toHaveLength(2);
    expect(last.body.next_page).toBeNull();
  });

  it('filters typeahead and bounds its count', async () => {
    fake.addProject({ name: 'Zeta Launch', workspace: s.org.gid });
    fake.addProject({ name: 'Zeta Old', workspace: s.org.gid, archived: true });
    fake.addTask({ name: 'zeta follow-up', workspace: s.org.gid });
    fake.addTask({ name: 'zeta done', workspace: s.org.gid, completed: true });
    const ta = (q: string): Promise<RawResponse> =>
      call(fake, 'GET', `/workspaces/${s.org.gid}/typeahead?${q}`);

    expect((await ta('query=zeta')).status).toBe(400);
    expect((await ta('resource_type=project&query=ZETA')).body).toEqual({
      data: [{ gid: expect.any(String), resource_type: 'project', name: 'Zeta Launch' }],
    });
    expect(
      (await ta('resource_type=task&query=zeta')).body.data.map((t: { name: string }) => t.name),
    ).toEqual(['zeta follow-up']);
    expect((await ta('resource_type=user&query=example.com&count=1')).body.data).toHaveLength(1);
    expect((await ta('resource_type=user&count=101')).status).toBe(400);
    expect((await ta('resource_type=tag&query=x')).body).toEqual({ data: [] });
  });

  it('adds followers and projects, checking sections belong to the project', async () => {
    const task = fake.addTask({ name: 'T', workspace: s.org.gid });
    const followers = await call(fake, 'POST', `/tasks/${task.gid}/addFollowers?opt_fields=followers.name`, {
      data: { followers: ['other@example.com'] },
    });
    expect(followers.body.data.followers).toEqual([{ gid: s.other.gid, name: 'Other User' }]);

    const wrongSection = await call(fake, 'POST', `/tasks/${task.gid}/addProject`, {
      data: { project: s.web.gid, section: 'nope' },
    });
    expect(wrongSection.status).toBe(404);
    const otherWorkspace = await call(fake, 'POST', `/tasks/${task.gid}/addProject`, {
      data: { project: s.personalProject.gid },
    });
    expect(otherWorkspace.status).toBe(400);
    const added = await call(fake, 'POST', `/tasks/${task.gid}/addProject`, {
      data: { project: s.web.gid, section: s.done.gid },
    });
    expect(added.body).toEqual({ data: {} });
    expect(fake.task(task.gid)?.memberships).toEqual([{ project: s.web.gid, section: s.done.gid }]);
  });

  it('applies faults in queue order, counting down times', async () => {
    fake.fail({ method: 'GET', path: '/users/me', status: 503, times: 2 });
    fake.fail({ path: '/users/me', status: 404 });
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) statuses.push((await call(fake, 'GET', '/users/me')).status);
    expect(statuses).toEqual([503, 503, 404, 200]);
    expect(fake.count('GET', '/users/me')).toBe(4);
    expect(fake.count('*', /^\/users/)).toBe(4);

    fake.fail({ status: 500, times: Infinity });
    expect((await call(fake, 'GET', '/workspaces')).status).toBe(500);
    fake.clearFaults();
    expect((await call(fake, 'GET', '/workspaces')).status).toBe(200);
  });

  it('models a write whose reply was lost with applyThenFail', async () => {
    fake.fail({ method: 'POST', path: '/tasks', applyThenFail: true, status: 504 });
    const res = await createTask({ name: 'Created anyway', workspace: s.org.gid });
    expect(res.status).toBe(504);
    expect(res.body.errors[0].phrase).toEqual(expect.any(String));
    expect(fake.tasks().map((t) => t.name)).toEqual(['Created anyway']);
  });

  it('delays responses with delayMs and latencyMs', async () => {
    fake.fail({ path: '/workspaces', delayMs: 60 });
    let started = Date.now();
    expect((await call(fake, 'GET', '/workspaces')).status).toBe(200);
    expect(Date.now() - started).toBeGreaterThanOrEqual(55);

    fake.latencyMs = 40;
    started = Date.now();
    expect((await call(fake, 'GET', '/users/nobody@example.com')).status).toBe(404);
    expect(Date.now() - started).toBeGreaterThanOrEqual(35);
  });

  it('hides new tasks from search for searchLagMs and follows the injected clock', async () => {
    let now = Date.parse('2024-05-01T12:00:00Z');
    const clocked = await FakeAsanaServer.start({ now: () => new Date(now) });
    try {
      const t = seed(clocked);
      clocked.searchLagMs = 30_000;
      const task = clocked.addTask({ name: 'Fresh', workspace: t.org.gid });
      expect(task.created_at).toBe('2024-05-01T12:00:00.000Z');
      const search = (): Promise<RawResponse> =>
        call(clocked, 'GET', `/workspaces/${t.org.gid}/tasks/search?text=fresh`);
      expect((await search()).body.data).toEqual([]);
      now += 31_000;
      expect((await search()).body.data).toHaveLength(1);
      expect((await call(clocked, 'GET', `/workspaces/${t.org.gid}/tasks/search?sort_by=size`)).status).toBe(
        400,
      );
    } finally {
      await clocked.close();
    }
  });

  it('moves tasks of a deleted section to the first remaining one', async () => {
    const task = fake.addTask({
      name: 'T',
      workspace: s.org.gid,
      memberships: [{ project: s.web.gid, section: s.done.gid }],
    });
    fake.deleteSection(s.done.gid);
    expect(task.memberships).toEqual([{ project: s.web.gid, section: s.todo.gid }]);
    expect(
      (await call(fake, 'POST', `/sections/${s.done.gid}/addTask`, { data: { task: task.gid } })).status,
    ).toBe(404);
  });

  it('records every request with its status and forgets everything on reset', async () => {
    await call(fake, 'GET', '/no/such/route');
    await call(fake, 'GET', '/users/me', undefined, null);
    expect(fake.requests.map((r) => [r.path, r.status])).toEqual([
      ['/no/such/route', 404],
      ['/users/me', 401],
    ]);
    expect(fake.requests[0].at).toBeLessThanOrEqual(Date.now());

    fake.fail({ status: 500 });
    fake.reset();
    expect(fake.requests).toHaveLength(0);
    expect(fake.tasks()).toHaveLength(0);
    expect((await call(fake, 'GET', '/users/me')).status).toBe(404); // no users left, and no fault
  });
});

// ---------------------------------------------------------------------------------------------------
// Conformance: the fake's responses against the response schemas Asana's OpenAPI spec declares.

const specPath = path.resolve(__dirname, '../../../shared/specs/asana_oas.yaml');
const specPresent = fs.existsSync(specPath);
if (!specPresent) {
  console.warn(`Skipping Asana OpenAPI conformance tests: spec not found at ${specPath}`);
}

type Json = any;

/** OpenAPI 3.0 keywords and annotations that JSON Schema (ajv) does not know or need. */
const DROPPED_KEYWORDS = new Set(['description', 'example', 'examples', 'nullable', 'discriminator', 'xml']);

/**
 * Rewrites an OpenAPI 3.0 schema for ajv: `$ref`s point into the registered spec document, `nullable`
 * becomes an explicit null alternative. Asana often writes nullability as an allOf member
 * (`allOf: [{$ref: UserCompact}, {nullable: true}]`), so that is hoisted to the whole allOf; siblings
 * of `$ref` are ignored, as OpenAPI 3.0 says.
 */
function toJsonSchema(node: Json): Json {
  if (Array.isArray(node)) return node.map(toJsonSchema);
  if (node === null || typeof node !== 'object') return node;
  let out: Json;
  if (typeof node.$ref === 'string') {
    out = { $ref: `asana-oas${node.$ref}` };
  } else {
    out = {};
    for (const [key, value] of Object.entries(node)) {
      if (DROPPED_KEYWORDS.has(key) || key.startsWith('x-')) continue;
      if (key === 'properties') {
        out.properties = Object.fromEntries(
          Object.entries(value as Record<string, Json>).map(([name, sub]) => [name, toJsonSchema(sub)]),
        );
      } else if (key === 'enum' || key === 'default' || key === 'required') {
        out[key] = value;
      } else {
        out[key] = toJsonSchema(value);
      }
    }
  }
  const nullable =
    node.nullable === true || (Array.isArray(node.allOf) && node.allOf.some((s: Json) => s?.nullable));
  return nullable ? { anyOf: [out, { type: 'null' }] } : out;
}

(specPresent ? describe : describe.skip)('FakeAsanaServer conforms to the Asana OpenAPI spec', () => {
  let spec: Json;
  let ajv: Ajv;
  let fake: FakeAsanaServer;
  let s: Seed;
  const validators = new Map<string, ValidateFunction>();

  beforeAll(async () => {
    spec = parseYaml(fs.readFileSync(specPath, 'utf8'), { maxAliasCount: -1 });
    ajv = new Ajv({ strict: false, allErrors: true });
    ajv.addFormat('date', { type: 'string', validate: (v: string) => /^\d{4}-\d{2}-\d{2}$/.test(v) });
    ajv.addFormat('date-time', {
      type: 'string',
      validate: (v: string) => /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/.test(v),
    });
    ajv.addFormat('uri', { type: 'string', validate: (v: string) => URL.canParse(v) });
    ajv.addFormat('email', { type: 'string', validate: (v: string) => /^[^\s@]+@[^\s@]+$/.test(v) });
    ajv.addFormat('binary', true);
    ajv.addSchema({ $id: 'asana-oas', components: toJsonSchema(spec.components) });
    fake = await FakeAsanaServer.start();
    s = seed(fake);
  });

  afterAll(async () => {
    await fake?.close();
  });

  /** The response object the spec declares for an operation and status, following $refs. */
  function declaredResponse(
    method: string,
    specPath: string,
    status: number,
  ): { schema: Json; declaredOn: string } {
    const op = spec.paths[specPath]?.[method.toLowerCase()];
    if (!op) throw new Error(`spec has no operation ${method} ${specPath}`);
    let response = op.responses[String(status)];
    let declaredOn = 'operation';
    if (!response) {
      // Some statuses Asana does send (402 on search, 429 anywhere) are only defined as shared responses.
      const shared: Record<number, string> = { 402: 'PaymentRequired', 429: 'TooManyRequests' };
      response = shared[status] && { $ref: `#/components/responses/${shared[status]}` };
      declaredOn = 'components.responses';
    }
    if (!response) throw new Error(`spec declares no ${status} for ${method} ${specPath}`);
    while (response.$ref) response = spec.components.responses[response.$ref.split('/').pop()];
    return { schema: response.content['application/json'].schema, declaredOn };
  }

  function validatorFor(method: string, specPath: string, status: number): ValidateFunction {
    const key = `${method} ${specPath} ${status}`;
    let validate = validators.get(key);
    if (!validate) {
      validate = ajv.compile(toJsonSchema(declaredResponse(method, specPath, status).schema));
      validators.set(key, validate);
    }
    return validate;
  }

  /** Property names a schema declares at its top level, through $refs and allOf. */
  function declaredProperties(schema: Json): Set<string> {
    const names = new Set<string>();
    const visit = (node: Json): void => {
      if (!node || typeof node !== 'object') return;
      if (node.$ref) return visit(spec.components.schemas[node.$ref.split('/').pop()]);
      Object.keys(node.properties ?? {}).forEach((n) => names.add(n));
      (node.allOf ?? []).forEach(visit);
    };
    visit(schema);
    return names;
  }

  async function expectConforms(
    method: string,
    specPathName: string,
    urlPath: string,
    status: number,
    body?: unknown,
    token: string | null = TOKEN,
  ): Promise<RawResponse> {
    const res = await call(fake, method, urlPath, body, token);
    expect({ call: `${method} ${urlPath}`, status: res.status }).toEqual({
      call: `${method} ${urlPath}`,
      status,
    });
    const validate = validatorFor(method, specPathName, status);
    const valid = validate(res.body);
    expect({ call: `${method} ${urlPath}`, errors: valid ? null : validate.errors }).toEqual({
      call: `${method} ${urlPath}`,
      errors: null,
    });
    if (status >= 400) {
      // ErrorResponse requires nothing; hold the fake to what Asana always sends.
      expect(res.body.errors.length).toBeGreaterThan(0);
      expect(typeof res.body.errors[0].message).toBe('string');
    } else {
      // Every field the fake sends must be one the spec declares for that record.
      const dataSchema = declaredResponse(method, specPathName, status).schema.properties.data;
      const recordSchema = dataSchema.items ?? dataSchema;
      const declared = declaredProperties(recordSchema);
      const records = Array.isArray(res.body.data) ? res.body.data : [res.body.data];
      for (const record of records) {
        const extra = Object.keys(record).filter((k) => !declared.has(k));
        expect({ call: `${method} ${urlPath}`, undeclared: extra }).toEqual({
          call: `${method} ${urlPath}`,
          undeclared: [],
        });
      }
    }
    return res;
  }

  it('has a schema check that can fail', () => {
    // Guards the OpenAPI-to-ajv translation: a check that accepts everything would prove nothing.
    const task = validatorFor('GET', '/tasks/{task_gid}', 200);
    expect(task({ data: { gid: '1', assignee: null, parent: null, due_on: null } })).toBe(true);
    expect(task({ data: { gid: 1 } })).toBe(false);
    expect(task({ data: { gid: '1', assignee: 'someone' } })).toBe(false);
    expect(task({ data: { gid: '1', due_on: 'tomorrow' } })).toBe(false);
    expect(task({ data: { gid: '1', resource_subtype: 'epic' } })).toBe(false);
    const projects = validatorFor('GET', '/projects', 200);
    expect(projects({ data: [], next_page: null })).toBe(true);
    expect(projects({ data: [], next_page: { offset: 5 } })).toBe(false);
  });

  it('matches the spec for users and workspaces', async () => {
    await expectConforms('GET', '/users/{user_gid}', '/users/me', 200);
    await expectConforms(
      'GET',
      '/users/{user_gid}',
      '/users/other@example.com?opt_fields=name,email,workspaces.name',
      200,
    );
    await expectConforms('GET', '/users/{user_gid}', '/users/1999999999999999', 404);
    await expectConforms('GET', '/users', `/users?workspace=${s.org.gid}&limit=1`, 200);
    await expectConforms('GET', '/users', '/users', 400);
    await expectConforms('GET', '/workspaces/{workspace_gid}/users', `/workspaces/${s.org.gid}/users`, 200);
    await expectConforms('GET', '/workspaces', '/workspaces', 200);
    await expectConforms('GET', '/workspaces/{workspace_gid}', `/workspaces/${s.org.gid}`, 200);
    await expectConforms('GET', '/users/{user_gid}', '/users/me', 401, undefined, 'bad-token');
  });

  it('matches the spec for projects, sections and typeahead', async () => {
    await expectConforms('GET', '/projects', `/projects?workspace=${s.org.gid}&archived=false&limit=1`, 200);
    await expectConforms('GET', '/projects', '/projects?archived=false', 400);
    await expectConforms(
      'GET',
      '/workspaces/{workspace_gid}/projects',
      `/workspaces/${s.org.gid}/projects`,
      200,
    );
    await expectConforms('GET', '/projects/{project_gid}', `/projects/${s.web.gid}`, 200);
    await expectConforms(
      'GET',
      '/projects/{project_gid}/sections',
      `/projects/${s.web.gid}/sections?limit=1`,
      200,
    );
    const ta = `/workspaces/${s.org.gid}/typeahead`;
    await expectConforms(
      'GET',
      '/workspaces/{workspace_gid}/typeahead',
      `${ta}?resource_type=project&query=web`,
      200,
    );
    await expectConforms('GET', '/workspaces/{workspace_gid}/typeahead', `${ta}?query=web`, 400);
  });

  it('matches the spec for the task lifecycle', async () => {
    const created = await expectConforms('POST', '/tasks', '/tasks', 201, {
      data: {
        name: 'Conformance',
        memberships: [{ project: s.web.gid, section: s.todo.gid }],
        assignee: 'me',
        followers: [s.other.gid],
        due_at: '2024-05-01T09:00:00Z',
        html_notes: '<body>Hello <em>there</em></body>',
      },
    });
    const gid = created.body.data.gid;
    await expectConforms(
      'POST',
      '/tasks',
      '/tasks?opt_fields=name,html_notes,memberships.project.name,memberships.section.name,permalink_url,created_by',
      201,
      { data: { name: 'Shaped', projects: [s.web.gid] } },
    );
    await expectConforms('POST', '/tasks', '/tasks', 400, {
      data: { name: 'Bad', workspace: s.org.gid, due_on: '2024-02-30' },
    });
    await expectConforms('POST', '/tasks', '/tasks', 404, {
      data: { name: 'Gone', projects: ['1999999999999999'] },
    });
    await expectConforms('GET', '/tasks/{task_gid}', `/tasks/${gid}`, 200);
    await expectConforms('GET', '/tasks/{task_gid}', '/tasks/1999999999999999', 404);
    await expectConforms('PUT', '/tasks/{task_gid}', `/tasks/${gid}`, 200, {
      data: { completed: true, due_on: '2024-06-01' },
    });
    await expectConforms('GET', '/tasks', `/tasks?project=${s.web.gid}&limit=1`, 200);
    await expectConforms('GET', '/tasks', '/tasks', 400);
    await expectConforms('POST', '/tasks/{task_gid}/stories', `/tasks/${gid}/stories`, 201, {
      data: { text: 'Hi' },
    });
    const stories = await expectConforms(
      'GET',
      '/tasks/{task_gid}/stories',
      `/tasks/${gid}/stories?limit=10`,
      200,
    );
    await expectConforms('GET', '/stories/{story_gid}', `/stories/${stories.body.data[0].gid}`, 200);
    await expectConforms('POST', '/sections/{section_gid}/addTask', `/sections/${s.done.gid}/addTask`, 200, {
      data: { task: gid },
    });
    await expectConforms('POST', '/tasks/{task_gid}/addFollowers', `/tasks/${gid}/addFollowers`, 200, {
      data: { followers: ['me'] },
    });
    await expectConforms('POST', '/tasks/{task_gid}/addProject', `/tasks/${gid}/addProject`, 200, {
      data: { project: s.web.gid },
    });
    await expectConforms('DELETE', '/tasks/{task_gid}', `/tasks/${gid}`, 200);
  });

  it('matches the spec for my tasks and search', async () => {
    fake.addTask({ name: 'Assigned', workspace: s.org.gid, assignee: s.me.gid });
    const list = await expectConforms(
      'GET',
      '/users/{user_gid}/user_task_list',
      `/users/me/user_task_list?workspace=${s.org.gid}`,
      200,
    );
    await expectConforms(
      'GET',
      '/user_task_lists/{user_task_list_gid}/tasks',
      `/user_task_lists/${list.body.data.gid}/tasks?completed_since=now&limit=5`,
      200,
    );
    const search = `/workspaces/${s.org.gid}/tasks/search?text=assigned&assignee.any=me&sort_by=created_at`;
    await expectConforms('GET', '/workspaces/{workspace_gid}/tasks/search', search, 200);
    fake.premium = false;
    await expectConforms('GET', '/workspaces/{workspace_gid}/tasks/search', search, 402);
    fake.premium = true;
  });

  it('matches the spec for scripted faults', async () => {
    fake.fail({ status: 429, retryAfterSeconds: 2 });
    const limited = await expectConforms('GET', '/workspaces', '/workspaces', 429);
    expect(limited.headers.get('retry-after')).toBe('2');
    fake.fail({ status: 500 });
    const broken = await expectConforms('GET', '/workspaces', '/workspaces', 500);
    expect(broken.body.errors[0].phrase).toMatch(/^\d+ \w+ \w+ \w+ \w+$/);
    // The search operation lists no 402 of its own although its description promises one.
    expect(declaredResponse('GET', '/workspaces/{workspace_gid}/tasks/search', 402).declaredOn).toBe(
      'components.responses',
    );
  });
});
