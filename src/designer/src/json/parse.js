// A JSON parser that keeps where every value is in the text, so that the page can edit a document by replacing
// the span of one value (the document's text is the only model: nothing is ever re-serialised whole).
//
// A node: {kind: 'object'|'array'|'string'|'number'|'boolean'|'null', start, end, value?, members?, items?}
// with [start, end) the value's characters; an object's members are {key, keyStart, keyEnd, value} in the order
// written (keyStart is the opening quote of the key, so a member spans [keyStart, value.end)).

export class JsonSyntaxError extends Error {
  constructor(message, offset) {
    super(message);
    this.offset = offset;
  }
}

export function parse(text) {
  const parser = new Parser(text);
  if (text.startsWith('\uFEFF')) parser.at = 1; // a byte order mark: kept in the text, skipped here
  parser.space();
  const root = parser.value();
  parser.space();
  if (parser.at < text.length) {
    parser.fail('Expected the end of the document');
  }
  return root;
}

class Parser {
  constructor(text) {
    this.text = text;
    this.at = 0;
  }

  fail(message) {
    const { line, column } = lineAndColumn(this.text, this.at);
    throw new JsonSyntaxError(`${message} at line ${line}, column ${column}`, this.at);
  }

  space() {
    while (this.at < this.text.length && ' \t\n\r'.includes(this.text[this.at])) {
      this.at++;
    }
  }

  value() {
    const c = this.text[this.at];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    for (const [word, value] of [['true', true], ['false', false], ['null', null]]) {
      if (this.text.startsWith(word, this.at)) {
        const start = this.at;
        this.at += word.length;
        return { kind: value === null ? 'null' : 'boolean', start, end: this.at, value };
      }
    }
    this.fail(c === undefined ? 'Unexpected end of the document' : `Unexpected ${JSON.stringify(c)}`);
  }

  object() {
    const start = this.at++;
    const members = [];
    this.space();
    if (this.text[this.at] === '}') {
      this.at++;
      return { kind: 'object', start, end: this.at, members };
    }
    for (;;) {
      this.space();
      if (this.text[this.at] !== '"') this.fail('Expected a property name in double quotes');
      const key = this.string();
      this.space();
      if (this.text[this.at] !== ':') this.fail('Expected ":" after a property name');
      this.at++;
      this.space();
      const value = this.value();
      members.push({ key: key.value, keyStart: key.start, keyEnd: key.end, value });
      this.space();
      const c = this.text[this.at++];
      if (c === '}') return { kind: 'object', start, end: this.at, members };
      if (c !== ',') {
        this.at--;
        this.fail('Expected "," or "}" in an object');
      }
    }
  }

  array() {
    const start = this.at++;
    const items = [];
    this.space();
    if (this.text[this.at] === ']') {
      this.at++;
      return { kind: 'array', start, end: this.at, items };
    }
    for (;;) {
      this.space();
      items.push(this.value());
      this.space();
      const c = this.text[this.at++];
      if (c === ']') return { kind: 'array', start, end: this.at, items };
      if (c !== ',') {
        this.at--;
        this.fail('Expected "," or "]" in an array');
      }
    }
  }

  string() {
    const start = this.at++;
    for (;;) {
      const c = this.text[this.at];
      if (c === undefined || c === '\n') this.fail('Unterminated string');
      if (c === '\\') {
        this.at += 2;
      } else if (c === '"') {
        this.at++;
        break;
      } else {
        this.at++;
      }
    }
    let value;
    try {
      value = JSON.parse(this.text.slice(start, this.at));
    } catch {
      this.at = start;
      this.fail('Invalid string');
    }
    return { kind: 'string', start, end: this.at, value };
  }

  number() {
    const match = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.text.slice(this.at, this.at + 400));
    if (!match) this.fail('Invalid number');
    const start = this.at;
    this.at += match[0].length;
    return { kind: 'number', start, end: this.at, value: Number(match[0]) };
  }
}

export function lineAndColumn(text, offset) {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text[i] === '\n') {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** The plain value of a node, as JSON.parse would give it. */
export function valueOf(node) {
  if (node.kind === 'object') {
    const object = {};
    for (const member of node.members) object[member.key] = valueOf(member.value);
    return object;
  }
  if (node.kind === 'array') return node.items.map(valueOf);
  return node.value;
}

/** RFC 6901: "/steps/a~1b/next" → ['steps', 'a/b', 'next']. */
export function splitPointer(pointer) {
  if (pointer === '' || pointer === undefined || pointer === null) return [];
  return pointer.slice(1).split('/').map((token) => token.replace(/~1/g, '/').replace(/~0/g, '~'));
}

export function joinPointer(tokens) {
  return tokens.map((token) => '/' + String(token).replace(/~/g, '~0').replace(/\//g, '~1')).join('');
}

/**
 * What a pointer names: {node} when the value exists, else the deepest existing container and what is missing,
 * so that a setter can insert it. Also the member (for an object property), to delete or rename it.
 */
export function locate(root, pointer) {
  const tokens = splitPointer(pointer);
  let node = root;
  let member = null;
  let parent = null;
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i];
    parent = node;
    if (node.kind === 'object') {
      member = node.members.findLast((m) => m.key === token) ?? null;
      if (!member) return { node: null, parent, missing: tokens.slice(i) };
      node = member.value;
    } else if (node.kind === 'array' && /^\d+$/.test(token) && Number(token) < node.items.length) {
      member = null;
      node = node.items[Number(token)];
    } else {
      return { node: null, parent, missing: tokens.slice(i) };
    }
  }
  return { node, member, parent, missing: [] };
}

/** The node at a pointer, or null. */
export function nodeAt(root, pointer) {
  return locate(root, pointer).node;
}

/**
 * The pointer of the innermost value that contains an offset, for a click in the JSON view to select what it
 * is on.
 */
export function pointerAt(root, offset) {
  const tokens = [];
  let node = root;
  for (;;) {
    let inner = null;
    if (node.kind === 'object') {
      const member = node.members.find((m) => offset >= m.keyStart && offset <= m.value.end);
      if (member) {
        tokens.push(member.key);
        inner = member.value;
      }
    } else if (node.kind === 'array') {
      const index = node.items.findIndex((item) => offset >= item.start && offset <= item.end);
      if (index >= 0) {
        tokens.push(index);
        inner = node.items[index];
      }
    }
    if (!inner) return joinPointer(tokens);
    node = inner;
  }
}
