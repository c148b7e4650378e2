import { eventually } from '../helpers/bridge-harness';
import { type ReminderHarness, addPerson, enroll, startReminderHarness } from '../reminders/reminder-harness';

const A_ME = '1500000000000030';

/** 2026-06-10 in New York is EDT (UTC-4); the daily DM goes at 09:00 local, 13:00Z. */
async function withDailyDm(): Promise<{
  h: ReminderHarness;
  dm: ReturnType<ReminderHarness['dms']>[number];
}> {
  const h = await startReminderHarness({
    start: '2026-06-10T12:00:00Z',
    seed: (asana, slack) =>
      addPerson(asana, slack, {
        id: 'U_ME',
        gid: A_ME,
        tz: 'America/New_York',
        tasks: [
          { name: 'Old report', due_on: '2026-06-08' },
          { name: 'Water the plants', due_on: '2026-06-10' },
          { name: 'Send the invoice', due_at: '2026-06-10T19:00:00.000Z' },
          { name: 'Book the venue', due_on: '2026-06-11' },
        ],
      }),
  });
  await enroll(h, [{ user: 'U_ME', timeZone: 'America/New_York' }]);
  await h.runAt('2026-06-10T12:45:00Z');
  await h.runAt('2026-06-10T13:00:00Z');
  const [dm] = h.dms('U_ME');
  return { h, dm };
}

function gidOf(h: ReminderHarness, name: string): string {
  const task = h.asana.tasks().find((t) => t.name === name);
  if (!task) throw new Error(`no task ${name}`);
  return task.gid;
}

type DailyDm = ReturnType<ReminderHarness['dms']>[number];

/** Chooses a Snooze option (`1h`, `tomorrow`, `push`) for one task in the daily DM, as Slack sends it. */
function chooseSnooze(h: ReminderHarness, dm: DailyDm, gid: string, choice: string, actionTs?: string) {
  return h.driver.blockActions({
    user_id: 'U_ME',
    channel_id: dm.channel,
    message: { ts: dm.ts, text: dm.text, blocks: dm.blocks },
    actions: [
      {
        action_id: 'reminder_snooze',
        block_id: `reminder_actions:${gid}`,
        type: 'static_select',
        ...(actionTs ? { action_ts: actionTs } : {}),
        selected_option: { text: { type: 'plain_text', text: choice }, value: `${choice}:${gid}` },
      },
    ],
  });
}

/** The text of the block with this id in a chat.update call. */
function blockText(blocks: any[], blockId: string): string {
  const block = blocks.find((b) => b.block_id === blockId);
  return block?.text?.text ?? block?.elements?.map((e: any) => e.text ?? '').join(' ') ?? '';
}

describe('reminder buttons', () => {
  let h: ReminderHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  it('Complete marks the task done in Asana and rewrites only that task in the DM', async () => {
    const setup = await withDailyDm();
    h = setup.h;
    const gid = gidOf(h, 'Old report');
    await h.driver.blockActions({
      user_id: 'U_ME',
      channel_id: setup.dm.channel,
      message: { ts: setup.dm.ts, text: setup.dm.text, blocks: setup.dm.blocks },
      actions: [{ action_id: 'reminder_complete', block_id: `reminder_actions:${gid}` }],
    });
    await eventually(() => h!.slack.callsTo('chat.update').length === 1);

    expect(h.asana.task(gid)?.completed).toBe(true);
    const update = h.slack.callsTo('chat.update')[0].args;
    expect(update.channel).toBe(setup.dm.channel);
    expect(update.ts).toBe(setup.dm.ts);
    expect(blockText(update.blocks, `reminder_actions:${gid}`)).toContain('Completed');
    const others = update.blocks.filter(
      (b: any) => b.block_id?.startsWith('reminder_actions:') && b.type === 'actions',
    );
    expect(others).toHaveLength(3);
    expect(h.slack.errors).toEqual([]);
  });

  it('two quick clicks on one DM keep both outcomes, and a redelivered click acts once', async () => {
    const setup = await withDailyDm();
    h = setup.h;
    const first = gidOf(h, 'Old report');
    const second = gidOf(h, 'Book the venue');
    const message = { ts: setup.dm.ts, text: setup.dm.text, blocks: setup.dm.blocks };
    // Both clicks carry the DM as it was before either took effect, as Slack sends them.
    await Promise.all([
      h.driver.blockActions({
        user_id: 'U_ME',
        channel_id: setup.dm.channel,
        message,
        actions: [
          { action_id: 'reminder_complete', block_id: `reminder_actions:${first}`, action_ts: '1.1' },
        ],
      }),
      h.driver.blockActions({
        user_id: 'U_ME',
        channel_id: setup.dm.channel,
        message,
        actions: [
          { action_id: 'reminder_complete', block_id: `reminder_actions:${second}`, action_ts: '1.2' },
        ],
      }),
    ]);
    await eventually(() => h!.slack.callsTo('chat.update').length === 2);
    // Slack redelivers the first click.
    await h.driver.blockActions({
      user_id: 'U_ME',
      channel_id: setup.dm.channel,
      message,
      actions: [{ action_id: 'reminder_complete', block_id: `reminder_actions:${first}`, action_ts: '1.1' }],
    });
    await new Promise((resolve) => setTimeout(resolve, 100));

    const last = h.slack.callsTo('chat.update').at(-1)!.args.blocks;
    expect(blockText(last, `reminder_actions:${first}`)).toContain('Completed');
    expect(blockText(last, `reminder_actions:${second}`)).toContain('Completed');
    expect(h.slack.callsTo('chat.update')).toHaveLength(2);
    expect(h.asana.count('PUT', `/tasks/${first}`)).toBe(1);
  });

  it('Snooze for 1 hour schedules the reminder in Slack and says until when', async () => {
    const setup = await withDailyDm();
    h = setup.h;
    const gid = gidOf(h, 'Water the plants');
    await chooseSnooze(h, setup.dm, gid, '1h');
    await eventually(() => h!.slack.callsTo('chat.update').length === 1);

    const [scheduled] = h.slack.callsTo('chat.scheduleMessage');
    expect(scheduled.response.ok).toBe(true);
    expect(scheduled.args.channel).toBe(setup.dm.channel);
    expect(Number(scheduled.args.post_at)).toBe(Math.floor(h.clock.now() / 1000) + 3600);
    expect(JSON.stringify(scheduled.args.blocks)).toContain('Water the plants');
    expect(JSON.stringify(scheduled.args.blocks)).toContain('reminder_complete');
    const update = h.slack.callsTo('chat.update')[0].args;
    expect(blockText(update.blocks, `reminder_actions:${gid}`)).toContain('Snoozed until 10:00 AM');
    expect(h.asana.task(gid)?.due_on).toBe('2026-06-10');
  });

  it("Snooze until tomorrow's reminder also silences that task's before-due reminder today", async () => {
    const setup = await withDailyDm();
    h = setup.h;
    const gid = gidOf(h, 'Send the invoice');
    await chooseSnooze(h, setup.dm, gid, 'tomorrow');
    await eventually(() => h!.slack.callsTo('chat.update').length === 1);
    expect(blockText(h.slack.callsTo('chat.update')[0].args.blocks, `reminder_actions:${gid}`)).toContain(
      "Snoozed until tomorrow's reminder at 9:00 AM",
    );

    // The invoice is due at 15:00 local; without the snooze a reminder would come at 14:30 (18:30Z).
    for (
      let t = Date.parse('2026-06-10T13:15:00Z');
      t <= Date.parse('2026-06-10T19:30:00Z');
      t += 15 * 60_000
    ) {
      await h.runAt(t);
    }
    expect(h.dms('U_ME')).toHaveLength(1);
    // Tomorrow it is overdue and in the daily DM again.
    await h.runAt('2026-06-11T12:45:00Z');
    await h.runAt('2026-06-11T13:00:00Z');
    expect(JSON.stringify(h.dms('U_ME')[1].blocks)).toContain('Send the invoice');
  });

  it('Push due date moves the task a day in Asana, keeping a due time on the wall clock', async () => {
    const setup = await withDailyDm();
    h = setup.h;
    const timed = gidOf(h, 'Send the invoice');
    const dated = gidOf(h, 'Book the venue');
    for (const [gid, ts] of [
      [timed, '2.1'],
      [dated, '2.2'],
    ]) {
      await chooseSnooze(h, setup.dm, gid, 'push', ts);
    }
    await eventually(() => h!.slack.callsTo('chat.update').length === 2);

    expect(h.asana.task(timed)?.due_at).toBe('2026-06-11T19:00:00.000Z');
    expect(h.asana.task(dated)?.due_on).toBe('2026-06-12');
    const last = h.slack.callsTo('chat.update')[1].args.blocks;
    expect(blockText(last, `reminder_task:${timed}`)).toContain('due tomorrow at 3:00 PM');
    expect(blockText(last, `reminder_task:${dated}`)).toContain('due Fri, Jun 12');
    // The buttons stay: the task is still open.
    expect(last.find((b: any) => b.block_id === `reminder_actions:${dated}`)?.type).toBe('actions');
    // The before-due reminder follows the new time: nothing today at 14:30 local.
    for (
      let t = Date.parse('2026-06-10T13:15:00Z');
      t <= Date.parse('2026-06-10T19:30:00Z');
      t += 15 * 60_000
    ) {
      await h.runAt(t);
    }
    expect(h.dms('U_ME')).toHaveLength(1);
  });

  it('a failing Asana call is told to the person privately and changes nothing', async () => {
    const setup = await withDailyDm();
    h = setup.h;
    const gid = gidOf(h, 'Old report');
    h.asana.fail({ method: 'PUT', path: `/tasks/${gid}`, status: 403, message: 'Forbidden' });
    await h.driver.blockActions({
      user_id: 'U_ME',
      channel_id: setup.dm.channel,
      message: { ts: setup.dm.ts, text: setup.dm.text, blocks: setup.dm.blocks },
      actions: [{ action_id: 'reminder_complete', block_id: `reminder_actions:${gid}` }],
    });
    await eventually(() => h!.slack.callsTo('chat.postEphemeral').length === 1);
    expect(h.slack.callsTo('chat.postEphemeral')[0].args.text).toContain("couldn't complete the task");
    expect(h.slack.callsTo('chat.update')).toHaveLength(0);
    expect(h.asana.task(gid)?.completed).toBe(false);
  });
});

describe('/asana remind', () => {
  let h: ReminderHarness | undefined;

  afterEach(async () => {
    await h?.close();
    h = undefined;
  });

  async function say(text: string, user = 'U_REQ'): Promise<string> {
    const before = h!.slack.responses().length;
    await h!.driver.command({ user_id: user, text });
    await eventually(() => h!.slack.responses().length === before + 1);
    return JSON.stringify(h!.slack.responses()[before].body);
  }

  it('shows the settings, changes them, and refuses what it cannot read', async () => {
    h = await startReminderHarness({ start: '2026-06-10T11:00:00Z' }); // 07:00 in New York
    expect(await say('remind')).toContain('at 09:00 your time (America/New_York');
    expect(await say('remind')).toContain('Next: today at 9:00 AM');

    expect(await say('remind at 08:30')).toContain('now at 08:30');
    expect(await say('remind at 25:00')).toContain("“25:00” isn't a time of day");
    expect(await say('remind at 8:30pm')).toContain('now at 20:30');
    expect(await say('remind before 15m')).toContain('15 min before');
    expect(await say('remind before soon')).toContain("“soon” isn't a length of time");
    expect(await say('remind before 2 days')).toContain("isn't a length of time");
    expect(await say('remind off')).toContain('Reminders are off');
    expect(await say('remind sometimes')).toContain("I don't understand “sometimes”");

    const stored = await h.bridge.store.getReminderSettings('U_REQ');
    expect(stored).toMatchObject({
      enabled: false,
      time: '20:30',
      beforeMinutes: 15,
      timeZone: 'America/New_York',
    });
    expect(await say('remind on')).toContain('Reminders are on');
    expect((await h.bridge.store.getReminderSettings('U_REQ'))?.enabled).toBe(true);
    const help = await h.driver.command({ user_id: 'U_REQ', text: 'help' });
    expect(JSON.stringify(help.body)).toContain('/asana remind at 08:30');
  });

  it('off means no DM; a time already passed today sends today’s at the next sweep and says so', async () => {
    h = await startReminderHarness({
      start: '2026-06-10T11:00:00Z',
      seed: (asana) =>
        asana.addTask({
          workspace: '1100000000000001',
          assignee: '1400000000000001',
          name: 'Req task',
          due_on: '2026-06-10',
        }),
    });
    await enroll(h, [{ user: 'U_REQ', timeZone: 'America/New_York' }]);
    await say('remind off');
    await h.runAt('2026-06-10T12:45:00Z');
    await h.runAt('2026-06-10T13:00:00Z');
    expect(h.dms()).toEqual([]);

    // On again at 09:10 local: today's time has passed, and turning reminders on starts from the next one.
    h.clock.set('2026-06-10T13:10:00Z');
    expect(await say('remind on')).toContain('Next: tomorrow at 9:00 AM');
    await h.runAt('2026-06-10T13:11:00Z');
    expect(h.dms()).toEqual([]);

    // Moving the time earlier than now while on: today's has not gone yet, so it goes now.
    await h.bridge.store.saveReminderSettings({
      ...(await h.bridge.store.getReminderSettings('U_REQ'))!,
      optedInAt: '2026-01-01T00:00:00.000Z',
    });
    expect(await say('remind at 09:05')).toContain("Today's will arrive within a minute");
    await h.runAt('2026-06-10T13:12:00Z');
    expect(h.dms().map((d) => d.text)).toEqual(['Asana: 1 due today']);
  });
});
