import { describe, expect, it } from 'vitest';
import { cumulativeDays, forecastMonthEnd, forecastWindow, type DailyCost } from '../../portal/src/lib/forecast.js';

const DAY = 86_400_000;
const at = (iso: string) => Date.parse(iso);

/** One daily point per UTC day from `from` to `to` (inclusive), costing `cost(day)`. */
function daily(from: string, to: string, cost: (day: Date) => number): DailyCost[] {
  const points: DailyCost[] = [];
  for (let t = at(`${from}T00:00:00Z`); t <= at(`${to}T00:00:00Z`); t += DAY) {
    points.push({ t: new Date(t).toISOString(), cost_usd: cost(new Date(t)) });
  }
  return points;
}

const isWeekend = (day: Date) => day.getUTCDay() === 0 || day.getUTCDay() === 6;
const weekdaysOnly = (usd: number) => (day: Date) => (isWeekend(day) ? 0 : usd);

describe('forecastMonthEnd', () => {
  it('weekends idle: a Monday-morning forecast expects the working days left, where linear extrapolation counts the idle weekend in', () => {
    // March 2026 starts on a Sunday and has 22 working days.
    const now = at('2026-03-09T01:00:00Z');
    const forecast = forecastMonthEnd(daily('2026-01-01', '2026-03-08', weekdaysOnly(100)), now);
    expect(forecast.method).toBe('weekday');
    expect(forecast.historyDays).toBe(28);
    expect(forecast.spentUsd).toBe(500);
    // Today is expected to cost a Monday's 100, then 16 more working days.
    expect(forecast.expectedUsd).toBe(2200);
    // Every weekday cost the same in the history, so the range is a point.
    expect(forecast.lowUsd).toBe(2200);
    expect(forecast.highUsd).toBe(2200);
    // Linear: 500 over 8.04 days, times 31 days: far off the 2,200 the month will cost.
    expect(forecast.linearUsd).toBeCloseTo(500 + (500 / (8 + 1 / 24)) * (23 - 1 / 24), 4);
    expect(Math.abs(forecast.expectedUsd - 2200)).toBeLessThan(Math.abs(forecast.linearUsd - 2200) - 200);
  });

  it('expects an idle day to stay idle and a weekend-heavy rest of month to stay cheap', () => {
    const now = at('2026-03-28T12:00:00Z'); // a Saturday; 29 Sunday, 30 and 31 working days
    const forecast = forecastMonthEnd(daily('2026-02-01', '2026-03-28', weekdaysOnly(100)), now);
    expect(forecast.spentUsd).toBe(2000);
    expect(forecast.expectedUsd).toBe(2200);
    expect(forecast.days.map((day) => day.expectedUsd).slice(27)).toEqual([0, 0, 100, 100]);
  });

  it('growth: expects the mean of the last four weeks, with the range from the slowest to the busiest week', () => {
    // Working days cost 100, 110, 120 and 130 in the four weeks before Monday 23 March.
    const weekOf = (day: Date) => Math.floor((day.getTime() - at('2026-02-23T00:00:00Z')) / (7 * DAY));
    const cost = (day: Date) => (isWeekend(day) ? 0 : 100 + 10 * Math.max(0, weekOf(day)));
    const now = at('2026-03-23T00:00:00Z');
    const forecast = forecastMonthEnd(daily('2026-02-01', '2026-03-22', cost), now);
    expect(forecast.spentUsd).toBe(550 + 600 + 650);
    // Seven working days left (23–27, 30, 31), each expected at the mean of 100…130.
    expect(forecast.expectedUsd).toBe(1800 + 7 * 115);
    expect(forecast.lowUsd).toBe(1800 + 7 * 100);
    expect(forecast.highUsd).toBe(1800 + 7 * 130);
    // If the growth goes on (140 a day this week, 150 the next), the month costs 2,800: the
    // forecast trails it, but by less than linear extrapolation does.
    const truth = 1800 + 5 * 140 + 2 * 150;
    expect(Math.abs(forecast.expectedUsd - truth)).toBeLessThan(Math.abs(forecast.linearUsd - truth));
  });

  it('takes today as partly spent: what is left of it is its weekday mean minus what it has cost so far', () => {
    const history = daily('2026-02-01', '2026-03-17', weekdaysOnly(100));
    const now = at('2026-03-18T15:00:00Z'); // a Wednesday
    const below = forecastMonthEnd([...history, { t: '2026-03-18T00:00:00Z', cost_usd: 40 }], now);
    expect(below.spentUsd).toBe(1240);
    expect(below.days[17]).toEqual({ date: '2026-03-18', actualUsd: 40, expectedUsd: 100, lowUsd: 100, highUsd: 100 });
    expect(below.expectedUsd).toBe(2200);
    // A day already past its mean is not expected to cost less than it has.
    const above = forecastMonthEnd([...history, { t: '2026-03-18T00:00:00Z', cost_usd: 160 }], now);
    expect(above.days[17]?.expectedUsd).toBe(160);
    expect(above.expectedUsd).toBe(2260);
  });

  describe('month boundaries', () => {
    it('on the 1st, counts nothing of last month as spent and forecasts the whole month from its weekdays', () => {
      const now = at('2026-04-01T00:30:00Z'); // April 2026: 30 days, 22 working days
      const forecast = forecastMonthEnd(daily('2026-02-01', '2026-03-31', weekdaysOnly(100)), now);
      expect(forecast.monthStart).toBe('2026-04-01T00:00:00.000Z');
      expect(forecast.daysInMonth).toBe(30);
      expect(forecast.days).toHaveLength(30);
      expect(forecast.spentUsd).toBe(0);
      expect(forecast.expectedUsd).toBe(2200);
      expect(forecast.linearUsd).toBe(0);
    });

    it('on the last evening, has only the rest of today left', () => {
      const points = daily('2026-02-01', '2026-03-31', weekdaysOnly(100));
      const forecast = forecastMonthEnd(points, at('2026-03-31T23:00:00Z'));
      expect(forecast.spentUsd).toBe(2200);
      expect(forecast.expectedUsd).toBe(2200);
      expect(forecast.days.at(-1)).toEqual({ date: '2026-03-31', actualUsd: 100, expectedUsd: 100, lowUsd: 100, highUsd: 100 });
    });

    it('ignores points after today', () => {
      const points = daily('2026-02-01', '2026-03-31', weekdaysOnly(100));
      expect(forecastMonthEnd(points, at('2026-03-09T01:00:00Z')).spentUsd).toBe(600);
    });
  });

  describe('no history', () => {
    it('with no spend at all forecasts nothing, for every day of the month', () => {
      for (const points of [[], daily('2026-02-01', '2026-03-10', () => 0)]) {
        const forecast = forecastMonthEnd(points, at('2026-03-10T12:00:00Z'));
        expect(forecast.method).toBe('none');
        expect(forecast.expectedUsd).toBe(0);
        expect(forecast.lowUsd).toBe(0);
        expect(forecast.highUsd).toBe(0);
        expect(forecast.days).toHaveLength(31);
      }
    });

    it('with under 7 days of history extrapolates linearly from the first day with spend, with no range', () => {
      // The gateway started on Tuesday 10 March; 3 full days at 50, half of today at 25.
      const points = [...daily('2026-03-10', '2026-03-12', () => 50), { t: '2026-03-13T00:00:00Z', cost_usd: 25 }];
      const forecast = forecastMonthEnd(points, at('2026-03-13T12:00:00Z'));
      expect(forecast.method).toBe('linear');
      expect(forecast.historyDays).toBe(3);
      expect(forecast.spentUsd).toBe(175);
      // 50 a day over the 18.5 days left; not 175 ÷ 12.5 days × 31 as if it had run since the 1st.
      expect(forecast.expectedUsd).toBe(1100);
      expect(forecast.linearUsd).toBe(1100);
      expect(forecast.lowUsd).toBe(1100);
      expect(forecast.highUsd).toBe(1100);
      expect(forecast.days[12]?.expectedUsd).toBe(50);
      expect(forecast.days[13]?.expectedUsd).toBe(50);
    });

    it('with spend only today extrapolates today over the month', () => {
      const forecast = forecastMonthEnd([{ t: '2026-03-13T00:00:00Z', cost_usd: 30 }], at('2026-03-13T12:00:00Z'));
      expect(forecast.method).toBe('linear');
      expect(forecast.historyDays).toBe(0);
      // Less than a day since the first spend counts as one day.
      expect(forecast.expectedUsd).toBe(30 + 30 * 18.5);
    });

    it('counts idle days after the first spend as zero, not as missing', () => {
      // One busy day three weeks ago, nothing since: the history is 21 days averaging 1/21 of it.
      const forecast = forecastMonthEnd([{ t: '2026-02-25T00:00:00Z', cost_usd: 210 }], at('2026-03-18T00:00:00Z'));
      expect(forecast.method).toBe('weekday');
      expect(forecast.historyDays).toBe(21);
      // Wednesdays in the history: 25 Feb (210), 4 and 11 March (0): mean 70, range 0–210.
      expect(forecast.days[17]).toMatchObject({ expectedUsd: 70, lowUsd: 0, highUsd: 210 });
      // Other weekdays had no spend, so the rest of the month expects only Wednesdays 18 and 25.
      expect(forecast.expectedUsd).toBe(140);
    });
  });

  describe('leap February', () => {
    it('has 29 days in 2028 and 28 in 2027', () => {
      const leap = forecastMonthEnd(daily('2028-01-01', '2028-02-14', () => 10), at('2028-02-15T00:00:00Z'));
      expect(leap.daysInMonth).toBe(29);
      expect(leap.days.at(-1)?.date).toBe('2028-02-29');
      expect(leap.expectedUsd).toBe(290);
      const common = forecastMonthEnd(daily('2027-01-01', '2027-02-14', () => 10), at('2027-02-15T00:00:00Z'));
      expect(common.daysInMonth).toBe(28);
      expect(common.expectedUsd).toBe(280);
    });
  });

  it('adds up several points of one day to the micro-dollar', () => {
    const points = [
      { t: '2026-03-02T00:00:00Z', cost_usd: 0.1 },
      { t: '2026-03-02T13:00:00.000Z', cost_usd: 0.2 },
    ];
    const forecast = forecastMonthEnd(points, at('2026-03-02T18:00:00Z'));
    expect(forecast.spentUsd).toBe(0.3);
    expect(forecast.days[1]?.actualUsd).toBe(0.3);
  });
});

describe('forecastWindow', () => {
  it('covers the 28 days before today and the month so far, to the end of today', () => {
    expect(forecastWindow(at('2026-03-18T12:00:00Z'))).toEqual({ from: '2026-02-18T00:00:00.000Z', to: '2026-03-19T00:00:00.000Z' });
    // Late in a month the month's start is earlier than 28 days back.
    expect(forecastWindow(at('2026-03-31T12:00:00Z'))).toEqual({ from: '2026-03-01T00:00:00.000Z', to: '2026-04-01T00:00:00.000Z' });
  });
});

describe('cumulativeDays', () => {
  it('runs the actual total to today and the expected total and range from yesterday, so the lines meet', () => {
    const now = at('2026-03-04T12:00:00Z'); // a Wednesday
    const points = [...daily('2026-02-01', '2026-03-03', weekdaysOnly(100)), { t: '2026-03-04T00:00:00Z', cost_usd: 30 }];
    const days = cumulativeDays(forecastMonthEnd(points, now));
    expect(days).toHaveLength(31);
    expect(days[0]).toEqual({ date: '2026-03-01', actual: 0, expected: null, range: null });
    expect(days[2]).toEqual({ date: '2026-03-03', actual: 200, expected: 200, range: [200, 200] });
    expect(days[3]).toEqual({ date: '2026-03-04', actual: 230, expected: 300, range: [300, 300] });
    expect(days[4]).toEqual({ date: '2026-03-05', actual: null, expected: 400, range: [400, 400] });
    expect(days[30]).toEqual({ date: '2026-03-31', actual: null, expected: 2200, range: [2200, 2200] });
  });

  it('projects from the first day when today is the 1st', () => {
    const days = cumulativeDays(forecastMonthEnd(daily('2026-02-01', '2026-02-28', weekdaysOnly(100)), at('2026-03-01T08:00:00Z')));
    expect(days[0]).toEqual({ date: '2026-03-01', actual: 0, expected: 0, range: [0, 0] });
    expect(days[1]).toMatchObject({ actual: null, expected: 100 });
  });
});
