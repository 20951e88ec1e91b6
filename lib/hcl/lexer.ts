/**
 * The scanner of HCL's native syntax: identifiers, numbers, punctuation, newlines (which end attributes), and the
 * openings of quoted templates and heredocs. Comments (`#`, `//`, `/* *\/`) and blanks are skipped. Template contents
 * are read by the parser character by character, because what a character means there depends on the context.
 */
import { Pos } from './ast';

/** A syntax error, with the file and position. */
export class HclSyntaxError extends Error {
  public constructor(public readonly reason: string, public readonly file: string, public readonly pos: Pos) {
    super(`${file}:${pos.line}:${pos.column}: ${reason}`);
    this.name = 'HclSyntaxError';
  }
}

/** Kinds of tokens. */
export type TokenType = 'ident' | 'number' | 'punct' | 'quote' | 'heredoc' | 'newline' | 'eof';

/** One token: its kind, text, and offsets in the source. */
export interface Token {
  readonly type: TokenType;
  readonly text: string;
  readonly start: number;
  readonly end: number;
  /** For heredocs: the closing marker and whether the content is indented (`<<-`). */
  readonly heredoc?: { readonly marker: string; readonly indented: boolean };
}

// Longest first, so `...` wins over `.` and `==` over `=`.
const PUNCTUATION = ['...', '=>', '==', '!=', '<=', '>=', '&&', '||', '::', '{', '}', '[', ']', '(', ')', '=', ',', '.', '?', ':', '+', '-', '*', '/', '%', '!', '<', '>', '~'];

const ID_START = /[\p{L}_]/u;
const ID_CONTINUE = /[\p{L}\p{N}_-]/u;

/** Whether a text is an HCL identifier. */
export function isIdentifier(text: string): boolean {
  return /^[\p{L}_][\p{L}\p{N}_-]*$/u.test(text);
}

/** Reads tokens from a source text. */
export class Scanner {
  private readonly lineStarts: number[] = [0];

  /**
   * @param src the text
   * @param file the file name errors name
   * @param baseLine line of the first character (for a template embedded in another file, such as a JSON string)
   * @param baseColumn column of the first character
   */
  public constructor(public readonly src: string, public readonly file: string, private readonly baseLine = 1, private readonly baseColumn = 1) {
    for (let i = 0; i < src.length; i++) {
      if (src.charCodeAt(i) === 10) {
        this.lineStarts.push(i + 1);
      }
    }
  }

  /** Line and column of an offset. */
  public posAt(offset: number): Pos {
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.lineStarts[mid] <= offset) {
        low = mid;
      } else {
        high = mid - 1;
      }
    }
    const column = offset - this.lineStarts[low] + 1;
    return { line: this.baseLine + low, column: low === 0 ? column + this.baseColumn - 1 : column };
  }

  /** An error at an offset. */
  public error(reason: string, offset: number): HclSyntaxError {
    return new HclSyntaxError(reason, this.file, this.posAt(offset));
  }

  /** Skip blanks and comments from an offset; newlines too unless `newlines` is set. Returns the new offset. */
  public skip(offset: number, newlines: boolean): number {
    const src = this.src;
    let i = offset;
    while (i < src.length) {
      const c = src[i];
      if (c === ' ' || c === '\t' || c === '\r' || c === '\uFEFF') {
        i++;
      } else if (c === '\n' && !newlines) {
        i++;
      } else if (c === '#' || (c === '/' && src[i + 1] === '/')) {
        while (i < src.length && src[i] !== '\n') {
          i++;
        }
      } else if (c === '/' && src[i + 1] === '*') {
        const end = src.indexOf('*/', i + 2);
        if (end < 0) {
          throw this.error('unterminated comment: "/*" has no "*/"', i);
        }
        i = end + 2;
      } else {
        break;
      }
    }
    return i;
  }

  /** The token at an offset (after blanks and comments). */
  public token(offset: number, newlines: boolean): Token {
    const src = this.src;
    const start = this.skip(offset, newlines);
    if (start >= src.length) {
      return { type: 'eof', text: '', start, end: start };
    }
    const c = src[start];
    if (c === '\n') {
      return { type: 'newline', text: '\n', start, end: start + 1 };
    }
    if (c === '"') {
      return { type: 'quote', text: '"', start, end: start + 1 };
    }
    if (c === '<' && src[start + 1] === '<') {
      const match = /^<<(-?)([\p{L}_][\p{L}\p{N}_-]*)[ \t]*\r?\n/u.exec(src.slice(start, start + 256));
      if (!match) {
        throw this.error('a heredoc starts with "<<" or "<<-", a marker name and a newline', start);
      }
      return { type: 'heredoc', text: match[0], start, end: start + match[0].length, heredoc: { marker: match[2], indented: match[1] === '-' } };
    }
    if (c >= '0' && c <= '9') {
      const match = /^[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]+)?/.exec(src.slice(start, start + 64))!;
      return { type: 'number', text: match[0], start, end: start + match[0].length };
    }
    if (ID_START.test(c)) {
      let end = start + 1;
      while (end < src.length && ID_CONTINUE.test(src[end])) {
        end++;
      }
      return { type: 'ident', text: src.slice(start, end), start, end };
    }
    for (const p of PUNCTUATION) {
      if (src.startsWith(p, start)) {
        return { type: 'punct', text: p, start, end: start + p.length };
      }
    }
    throw this.error(`unexpected character ${JSON.stringify(c)}`, start);
  }
}
