import { describe, expect, it } from 'vitest';
import { renderMessage, subjectLine } from '../../src/mail/render-message.js';

const code = (value: string) => [{ token: '{####}', value, emphasise: true }];
const body = (html: string) => /<body>([^]*)<\/body>/.exec(html)?.[1];

describe('renderMessage', () => {
  it('escapes a plain-text template into paragraphs and line breaks, the code in bold', () => {
    const out = renderMessage('Hi "you" & welcome <3,\nyour code is {####}.\n\nBye', 'S & T', code('123456'));
    expect(out.text).toBe('Hi "you" & welcome <3,\nyour code is 123456.\n\nBye');
    expect(body(out.html)).toBe('<p>Hi &#34;you&#34; &#38; welcome &#60;3,<br>your code is <strong>123456</strong>.</p><p>Bye</p>');
    expect(out.html).toContain('<title>S &#38; T</title>');
  });

  it('fills placeholders in one pass: a value holding a placeholder stays as it is, and is escaped in HTML', () => {
    const out = renderMessage('{username} / {####}', 's', [
      { token: '{username}', value: '{####}<b>' },
      { token: '{####}', value: 'p{username}&', emphasise: true },
    ]);
    expect(out.text).toBe('{####}<b> / p{username}&');
    expect(body(out.html)).toBe('<p>{####}&#60;b&#62; / <strong>p{username}&#38;</strong></p>');
  });

  it('uses an HTML template as the HTML part and its readable text as the text part', () => {
    const template = '<div><h1>Hello</h1><p>Code:&nbsp;<b>{####}</b></p><ul><li>one &amp; two</li><li>&#8364;&#x41;</li></ul><br/>end</div>';
    const out = renderMessage(template, 'Subject', code('654321'));
    expect(body(out.html)).toBe('<div><h1>Hello</h1><p>Code:&nbsp;<b><strong>654321</strong></b></p><ul><li>one &amp; two</li><li>&#8364;&#x41;</li></ul><br/>end</div>');
    expect(out.text).toBe('Hello\nCode: 654321\none & two\n€A\n\nend');
  });

  it('keeps a whole HTML document as it is, and leaves its head and styles out of the text', () => {
    const template = '<html><head><style>p{color:red}</style><title>T</title></head><body><p>Code {####}</p></body></html>';
    const out = renderMessage(template, 'Subject', code('111111'));
    expect(out.html).toBe('<html><head><style>p{color:red}</style><title>T</title></head><body><p>Code <strong>111111</strong></p></body></html>');
    expect(out.text).toBe('Code 111111');
  });

  it('takes angle brackets that are not markup for plain text', () => {
    const out = renderMessage('Code {####} < 5 minutes > 0 seconds', 's', code('222222'));
    expect(out.text).toBe('Code 222222 < 5 minutes > 0 seconds');
    expect(body(out.html)).toBe('<p>Code <strong>222222</strong> &#60; 5 minutes &#62; 0 seconds</p>');
  });
});

describe('subjectLine', () => {
  it('folds line breaks and runs of space into one header line', () => {
    expect(subjectLine(' Your\r\ncode\t is  here ')).toBe('Your code is here');
  });
});
