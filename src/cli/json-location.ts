/**
 * Where a JSON text goes wrong, as a line and column a person can jump to. `JSON.parse` names an
 * offset for some mistakes and none for others (`"a": }` is only "Unexpected token"), and its
 * wording changes between Node versions, so this walks the text itself. It is called only after
 * `JSON.parse` has failed, to explain why; it never decides validity on its own.
 */

export interface JsonProblem {
  /** 1-based, counted in UTF-16 code units like every editor's column. */
  readonly line: number;
  readonly column: number;
  /** What is wrong there: `a comment`, `a trailing comma`, `unexpected "}"`, `unexpected end of file`, ... */
  readonly problem: string;
}

class Stop {
  constructor(
    readonly offset: number,
    readonly problem?: string,
  ) {}
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;
const ESCAPE = /\\(?:["\\/bfnrt]|u[0-9a-fA-F]{4})/y;

/** The first place `text` stops being JSON (RFC 8259), or undefined if it is valid. */
export function locateJsonProblem(text: string): JsonProblem | undefined {
  let at = 0;
  const stop = (offset = at, problem?: string): never => {
    throw new Stop(offset, problem);
  };
  const skipSpace = () => {
    while (at < text.length && ' \t\n\r'.includes(text[at]!)) at++;
  };
  const literal = (word: string) => (text.startsWith(word, at) ? (at += word.length) : stop());

  const string = () => {
    at++; // the opening quote
    while (at < text.length && text[at] !== '"') {
      if (text[at] === '\\') {
        ESCAPE.lastIndex = at;
        if (!ESCAPE.test(text)) stop();
        at = ESCAPE.lastIndex;
      } else if (text.charCodeAt(at) < 0x20) {
        stop(at, 'a line break or control character inside a string');
      } else at++;
    }
    if (at >= text.length) stop();
    at++;
  };

  /** Members or elements up to `close`, refusing a comma right before it. */
  const sequence = (close: '}' | ']', member: () => void) => {
    at++; // the opening bracket
    skipSpace();
    if (text[at] === close) return void at++;
    for (;;) {
      member();
      skipSpace();
      if (text[at] === close) return void at++;
      if (text[at] !== ',') stop();
      const comma = at++;
      skipSpace();
      if (text[at] === close) stop(comma, 'a trailing comma');
    }
  };

  const value = (): void => {
    skipSpace();
    const char = text[at];
    if (char === '{') {
      sequence('}', () => {
        skipSpace();
        if (text[at] !== '"') stop();
        string();
        skipSpace();
        if (text[at] !== ':') stop();
        at++;
        value();
      });
    } else if (char === '[') sequence(']', value);
    else if (char === '"') string();
    else if (char === 't') literal('true');
    else if (char === 'f') literal('false');
    else if (char === 'n') literal('null');
    else {
      NUMBER.lastIndex = at;
      if (!NUMBER.test(text)) stop();
      at = NUMBER.lastIndex;
    }
  };

  try {
    value();
    skipSpace();
    if (at < text.length) stop();
    return undefined;
  } catch (error) {
    if (!(error instanceof Stop)) throw error;
    return { ...lineAndColumn(text, error.offset), problem: error.problem ?? describeAt(text, error.offset) };
  }
}

function describeAt(text: string, offset: number): string {
  if (offset >= text.length) return 'unexpected end of file';
  if (text.startsWith('//', offset) || text.startsWith('/*', offset)) return 'a comment';
  return `unexpected ${JSON.stringify(String.fromCodePoint(text.codePointAt(offset)!))}`;
}

function lineAndColumn(text: string, offset: number): { line: number; column: number } {
  const before = text.slice(0, offset);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: offset - lineStart + 1 };
}
