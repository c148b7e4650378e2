import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Ajv from 'ajv';
import { parse } from 'yaml';
import { ADD_TO_TASK_SHORTCUT, ASANA_COMMAND, CREATE_TASK_SHORTCUT } from '../src/ids';

const repoRoot = path.resolve(__dirname, '..');
// The shared specs live beside the repository, not in it; see ../shared/specs/README.md.
const schemaPath = path.resolve(repoRoot, '..', 'shared', 'specs', 'slack-app-manifest.schema.json');
const schemaAvailable = existsSync(schemaPath);

if (!schemaAvailable) {
  console.warn(
    `Skipping the Slack manifest schema check: ${path.relative(repoRoot, schemaPath)} was not found. ` +
      'Put the shared specs folder next to the repository to run it.',
  );
}

interface Manifest {
  features: {
    app_home: { messages_tab_enabled: boolean; messages_tab_read_only_enabled?: boolean };
    slash_commands: Array<{ command: string; should_escape?: boolean; url?: string }>;
    shortcuts: Array<{ callback_id: string; name: string; type: string }>;
  };
  oauth_config: { scopes: { bot: string[]; user?: string[] } };
  settings: Record<string, unknown> & { interactivity: Record<string, unknown> };
}

const manifest = parse(readFileSync(path.join(repoRoot, 'manifest.yml'), 'utf8')) as Manifest;

describe('manifest.yml', () => {
  (schemaAvailable ? it : it.skip)('is a valid Slack app manifest', () => {
    const ajv = new Ajv({ allErrors: true });
    const validate = ajv.compile(JSON.parse(readFileSync(schemaPath, 'utf8')));
    const valid = validate(manifest);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('declares the slash command the app listens for, with escaping on', () => {
    expect(manifest.features.slash_commands).toEqual([
      expect.objectContaining({ command: ASANA_COMMAND, should_escape: true }),
    ]);
  });

  it('declares both message shortcuts under the callback ids the app listens for', () => {
    expect(manifest.features.shortcuts.map((s) => [s.name, s.type, s.callback_id])).toEqual([
      ['Create Asana task', 'message', CREATE_TASK_SHORTCUT],
      ['Add to Asana task', 'message', ADD_TO_TASK_SHORTCUT],
    ]);
  });

  it('asks for exactly the bot scopes the app uses and no user scopes', () => {
    expect([...manifest.oauth_config.scopes.bot].sort()).toEqual(
      ['commands', 'chat:write', 'chat:write.public', 'users:read', 'users:read.email', 'im:write'].sort(),
    );
    expect(manifest.oauth_config.scopes.user).toBeUndefined();
  });

  it('uses Socket Mode, so it names no request URL anywhere', () => {
    expect(manifest.settings).toMatchObject({
      interactivity: { is_enabled: true },
      socket_mode_enabled: true,
      org_deploy_enabled: false,
      token_rotation_enabled: false,
    });
    expect(JSON.stringify(manifest)).not.toMatch(/"(url|request_url|message_menu_options_url)"/);
  });

  it('keeps the Messages tab on, where reminder DMs arrive', () => {
    expect(manifest.features.app_home.messages_tab_enabled).toBe(true);
  });
});
