import { expect, test } from 'vitest';
import { ALERT_EVENT_TYPES, alertLevel, alertTimeFilter, alertTypeLabel } from '../../portal/src/features/budget-alerts/alert-logic.js';

test('each event type has a level and a label', () => {
  expect(ALERT_EVENT_TYPES.map((type) => [alertLevel(type), alertTypeLabel(type)])).toEqual([
    ['warning', 'Warning'],
    ['shaped', 'Shaped'],
    ['blocked', 'Blocked'],
    ['warning', 'Team warning'],
    ['shaped', 'Team shaped'],
    ['blocked', 'Team blocked'],
  ]);
});

// A fixed clock: no test depends on today's date.
const NOW = Date.parse('2026-03-19T14:30:25Z');

test('any time asks for no range', () => {
  expect(alertTimeFilter('', '', '', NOW)).toEqual({});
  expect(alertTimeFilter('nonsense', '', '', NOW)).toEqual({});
});

test('a preset is the shared analytics range at now', () => {
  expect(alertTimeFilter('7d', '', '', NOW)).toEqual({ from: '2026-03-12T14:31:00.000Z', to: '2026-03-19T14:31:00.000Z' });
  expect(alertTimeFilter('mtd', '', '', NOW).from).toBe('2026-03-01T00:00:00.000Z');
});

test('dates are whole UTC days, the end date included, either end open', () => {
  expect(alertTimeFilter('custom', '2026-03-01', '2026-03-10', NOW)).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-03-11T00:00:00.000Z' });
  expect(alertTimeFilter('custom', '2026-03-01', '', NOW)).toEqual({ from: '2026-03-01T00:00:00.000Z' });
  expect(alertTimeFilter('custom', '', '2026-03-10', NOW)).toEqual({ to: '2026-03-11T00:00:00.000Z' });
  expect(alertTimeFilter('custom', '', '', NOW)).toEqual({});
});
