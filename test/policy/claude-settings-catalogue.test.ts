import { describe, expect, test } from 'vitest';
import { checkClaudeSettings } from '../../src/policy/claude-settings-catalogue.js';

describe('managed settings validation', () => {
  test('documented keys with the right types pass without warnings', () => {
    const check = checkClaudeSettings({
      env: { CLAUDE_CODE_ENABLE_TELEMETRY: '1', OTEL_EXPORTER_OTLP_ENDPOINT: 'https://gw.example' },
      permissions: { allow: ['Bash(npm test)'], deny: ['Read(./.env)'], defaultMode: 'plan', disableBypassPermissionsMode: 'disable' },
      cleanupPeriodDays: 30,
      model: 'claude-sonnet-4-5',
      availableModels: ['sonnet', 'haiku'],
      statusLine: { type: 'command', command: '~/.claude/statusline.sh' },
      forceLoginMethod: 'gateway',
      hooks: { PreToolUse: [] },
      companyAnnouncements: ['Read the AI policy'],
    });
    expect(check).toEqual({ errors: [], warnings: [] });
  });

  test('unknown keys are warnings naming the key', () => {
    const check = checkClaudeSettings({ cleanupPeriodDay: 30, futureSetting: { on: true } });
    expect(check.errors).toEqual([]);
    expect(check.warnings).toHaveLength(2);
    expect(check.warnings[0]).toContain('settings.cleanupPeriodDay');
  });

  test('wrong types are errors with the path', () => {
    const check = checkClaudeSettings({ env: { PORT: 8080 }, cleanupPeriodDays: '30', permissions: { deny: 'WebFetch' }, forceLoginMethod: 'sso' });
    expect(check.errors.map((error) => error.split(':')[0])).toEqual(['settings.env.PORT', 'settings.cleanupPeriodDays', 'settings.permissions.deny', 'settings.forceLoginMethod']);
  });

  test('a document that is not an object is refused', () => {
    expect(checkClaudeSettings(['env']).errors).toEqual(['settings: must be a JSON object']);
  });
});
