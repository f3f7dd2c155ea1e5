import { SaxesParser, type SaxesTagNS } from 'saxes';
import { createBareAmpersandCheck } from './bare-ampersand.js';
import { type Fields, toAuthor, toChannel, toComment, toItem, toTerm } from './records.js';
import { WxrError, type WxrComment, type WxrItem, type WxrRecord } from './types.js';

const NOT_WXR = 'not a WordPress export (WXR) file';

/** The channel's children that are records of their own; the channel record goes out before the first of them. */
const RECORDS = new Set(['wp:author', 'wp:category', 'wp:tag', 'wp:term', 'item']);
/** Children of records that gather children of their own. */
const NESTED: Record<string, string> = { 'wp:postmeta': 'item', 'wp:comment': 'item', 'wp:commentmeta': 'wp:comment' };

interface Frame {
  name: string;
  depth: number;
  fields: Fields;
  meta: Record<string, string>;
  comments: WxrComment[];
  terms: WxrItem['terms'];
}

interface Capture {
  name: string;
  depth: number;
  parts: string[];
  attributes: Record<string, string>;
}

/** Elements are named by the prefix WordPress gives their namespace, whatever prefix the file declared. */
function prefixFor(uri: string): string | undefined {
  if (/^https?:\/\/wordpress\.org\/export\/1\.[0-2]\/$/.test(uri)) return 'wp';
  if (/^https?:\/\/wordpress\.org\/export\/1\.[0-2]\/excerpt\/$/.test(uri)) return 'excerpt';
  if (uri === 'http://purl.org/rss/1.0/modules/content/') return 'content';
  if (uri === 'http://purl.org/dc/elements/1.1/') return 'dc';
  return undefined;
}

function wxrVersionOf(root: SaxesTagNS): string | undefined {
  for (const uri of Object.values(root.ns)) {
    const version = /^https?:\/\/wordpress\.org\/export\/(1\.[0-2])\/$/.exec(uri)?.[1];
    if (version) return version;
  }
  return undefined;
}

/** `<category domain="tag">` is WXR 1.0's name for a tag; a category without a domain is a category. */
function taxonomyOf(domain: string | undefined): string {
  return !domain ? 'category' : domain === 'tag' ? 'post_tag' : domain;
}

/**
 * Turns XML text, written to it piece by piece, into WXR records passed to `emit` as each one closes: only the
 * record being read is held. Throws WxrError (with `file` and the line) for what is not a whole WXR document.
 */
export function createRecordParser(file: string, emit: (record: WxrRecord) => void) {
  const parser = new SaxesParser({ xmlns: true });
  const frames: Frame[] = [];
  let capture: Capture | null = null;
  let depth = 0;
  let wxrVersion = '';
  let channel: Fields | null = null;
  let channelSent = false;
  let sawText = false;

  const sendChannel = () => {
    if (channel && !channelSent) emit(toChannel(wxrVersion, channel));
    channelSent = true;
  };

  parser.on('opentag', (tag) => {
    depth++;
    const prefix = prefixFor(tag.uri);
    const name = prefix ? `${prefix}:${tag.local}` : tag.name;
    const top = frames.at(-1);
    capture = null;
    if (depth === 1) {
      const version = wxrVersionOf(tag);
      if (tag.local !== 'rss' || !version) throw new WxrError(NOT_WXR, file, parser.line);
      wxrVersion = version;
    } else if (depth === 2 && name === 'channel' && !channel) {
      channel = new Map();
      frames.push(newFrame(name, depth, channel));
    } else if (top && (top.name === 'channel' ? RECORDS.has(name) : NESTED[name] === top.name)) {
      if (top.name === 'channel') sendChannel();
      frames.push(newFrame(name, depth, new Map()));
    } else if (top?.depth === depth - 1) {
      // Only a record's own children: `<image><title>` must not pass for the channel's title.
      const attributes = Object.fromEntries(Object.values(tag.attributes).map((a) => [a.local, a.value]));
      capture = { name, depth, parts: [], attributes };
    }
  });

  const onText = (text: string) => {
    if (capture?.depth === depth) capture.parts.push(text);
  };
  parser.on('text', onText);
  parser.on('cdata', onText);

  parser.on('closetag', () => {
    const top = frames.at(-1);
    if (capture?.depth === depth && top) {
      const value = capture.parts.join('');
      if (capture.name === 'category' && top.name === 'item') {
        const { domain, nicename } = capture.attributes;
        top.terms.push({ taxonomy: taxonomyOf(domain), slug: nicename ?? '', name: value });
      } else {
        top.fields.set(capture.name, value);
      }
    } else if (top?.depth === depth) {
      frames.pop();
      finish(top, frames.at(-1));
    }
    capture = null;
    if (depth === 1 && !channel) throw new WxrError(NOT_WXR, file, parser.line);
    depth--;
  });

  const finish = (frame: Frame, parent: Frame | undefined) => {
    const { name, fields } = frame;
    const key = fields.get('wp:meta_key');
    if ((name === 'wp:postmeta' || name === 'wp:commentmeta') && parent && key !== undefined) {
      parent.meta[key] = fields.get('wp:meta_value') ?? '';
    } else if (name === 'wp:comment' && parent) {
      parent.comments.push(toComment(fields, frame.meta));
    } else if (name === 'item') {
      emit(toItem(fields, frame));
    } else if (name === 'wp:author') {
      emit(toAuthor(fields));
    } else if (name === 'wp:category' || name === 'wp:tag' || name === 'wp:term') {
      emit(toTerm(name, fields));
    } else if (name === 'channel') {
      sendChannel();
    }
  };

  const bareAmpersandAt = createBareAmpersandCheck();
  const bareAmpersand = (line: number) => new WxrError('not well-formed XML: a bare "&" (it must be written "&amp;")', file, line);
  const write = (chunk: string | null) => {
    const ampersandLine = chunk === null ? 0 : bareAmpersandAt(chunk, false);
    try {
      parser.write(chunk);
    } catch (error) {
      if (ampersandLine > 0 && ampersandLine <= parser.line) throw bareAmpersand(ampersandLine);
      if (error instanceof WxrError) throw error;
      const reason = error instanceof Error ? error.message.replace(/^\d+:\d+: /, '') : String(error);
      throw new WxrError(`not well-formed XML: ${reason}`, file, parser.line);
    }
    if (ampersandLine > 0) throw bareAmpersand(ampersandLine);
  };

  return {
    write(chunk: string) {
      if (!sawText && chunk.trim() !== '') sawText = true;
      write(chunk);
    },
    /** The input is over: it must have held a whole WXR document. */
    end() {
      if (!sawText) throw new WxrError('the file is empty', file, 0);
      const ampersandLine = bareAmpersandAt('', true);
      if (ampersandLine > 0) throw bareAmpersand(ampersandLine);
      if (depth > 0) throw new WxrError('the file ends early: it may be cut short', file, parser.line);
      write(null);
    },
  };
}

function newFrame(name: string, depth: number, fields: Fields): Frame {
  return { name, depth, fields, meta: {}, comments: [], terms: [] };
}
