#!/usr/bin/env node
/**
 * `npm run deps:check`: the production dependencies behind their latest patch or minor release,
 * from `npm outdated --json --omit=dev`. Run it before a release (docs/security.md#auditing);
 * it is not a CI gate, since an upstream release must not turn CI red: it exits 0 unless asked
 * with --strict, and then 1 when a patch or minor update is waiting. Major updates are listed
 * apart, as information: they need a deliberate upgrade.
 */
import { execFile } from 'node:child_process';
import { pathToFileURL } from 'node:url';

const parse = (version) => (typeof version === 'string' ? version.split('-')[0].split('.').map(Number) : undefined);

/**
 * Sorts `npm outdated --json` entries: `behind` when a newer release of the same major exists
 * (the versions `^` ranges accept, so updating is routine), `major` when only a new major does.
 */
export function classify(outdated) {
  const behind = [];
  const major = [];
  for (const [name, entry] of Object.entries(outdated)) {
    const current = parse(entry.current);
    const latest = parse(entry.latest);
    const wanted = parse(entry.wanted);
    if (!current || !latest) continue;
    const newer = (a, b) => a[0] > b[0] || (a[0] === b[0] && (a[1] > b[1] || (a[1] === b[1] && a[2] > b[2])));
    // The newest release of the current major: `latest` when it is the same major, else `wanted`.
    const sameMajor = latest[0] === current[0] ? latest : wanted && wanted[0] === current[0] ? wanted : undefined;
    const row = { name, current: entry.current, wanted: entry.wanted, latest: entry.latest };
    if (sameMajor && newer(sameMajor, current)) behind.push({ ...row, update: sameMajor[1] > current[1] ? 'minor' : 'patch' });
    else if (latest[0] > current[0]) major.push(row);
  }
  return { behind, major };
}

function npmOutdated() {
  return new Promise((resolve, reject) => {
    // npm outdated exits 1 when anything is outdated; the JSON on stdout is the answer either way.
    execFile('npm', ['outdated', '--json', '--omit=dev'], { maxBuffer: 16 * 1024 * 1024 }, (error, stdout, stderr) => {
      let parsed;
      try {
        parsed = JSON.parse(stdout || '{}');
      } catch {
        return reject(new Error(`npm outdated printed no JSON: ${stderr.trim() || error?.message}`));
      }
      if (parsed.error) return reject(new Error(`npm outdated failed: ${parsed.error.summary ?? parsed.error.code} (is the registry reachable?)`));
      resolve(parsed);
    });
  });
}

async function main() {
  const strict = process.argv.includes('--strict');
  const { behind, major } = classify(await npmOutdated());
  const line = (row) => `  ${row.name.padEnd(40)} ${String(row.current).padEnd(12)} → ${row.update ? `${row.wanted} (wanted), latest ${row.latest}` : row.latest}`;
  if (behind.length === 0) console.log('Production dependencies are on their latest patch and minor releases.');
  else console.log(`Behind their latest patch or minor release (npm update <name>):\n${behind.map((row) => `${line(row)}  [${row.update}]`).join('\n')}`);
  if (major.length > 0) console.log(`\nA new major release exists (upgrade deliberately):\n${major.map(line).join('\n')}`);
  process.exitCode = strict && behind.length > 0 ? 1 : 0;
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error) => {
    console.error(`deps:check: ${error.message}`);
    process.exitCode = 2;
  });
}
