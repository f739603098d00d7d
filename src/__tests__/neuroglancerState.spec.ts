import { parseNeuroglancerInput, StateParseError } from '../neuroglancerState';

const STATE = {
  dimensions: { x: [8e-9, 'm'], y: [8e-9, 'm'], z: [8e-9, 'm'] },
  position: [80, 80, 80],
  layers: [
    { type: 'image', source: 'precomputed://gs://bucket/em', name: 'em' }
  ],
  layout: 'xy'
};
const JSON_TEXT = JSON.stringify(STATE);

describe('parseNeuroglancerInput', () => {
  it.each([
    [
      'a URL with raw JSON',
      `https://neuroglancer-demo.appspot.com/#!${JSON_TEXT}`
    ],
    [
      'a percent-encoded URL',
      `https://example.org/viewer/#!${encodeURIComponent(JSON_TEXT)}`
    ],
    [
      'a partly encoded URL',
      `http://localhost:8080/#!${JSON_TEXT.replace(/"/g, '%22')}`
    ],
    ['the fragment alone', `#!${JSON_TEXT}`],
    ['a bare JSON state', JSON_TEXT],
    ['a state with surrounding whitespace', `\n  ${JSON_TEXT}  \n`]
  ])('accepts %s', (_, input) => {
    expect(parseNeuroglancerInput(input)).toEqual(STATE);
  });

  it('keeps a literal % in a raw JSON state, and decodes an encoded one', () => {
    const state = { layers: [{ type: 'image', name: 'em 50%' }] };
    const text = JSON.stringify(state);
    expect(parseNeuroglancerInput(`#!${text}`)).toEqual(state);
    expect(
      parseNeuroglancerInput(`https://h/#!${encodeURIComponent(text)}`)
    ).toEqual(state);
  });

  it.each([
    ['empty input', '   ', /Nothing was entered/],
    ['a URL without a state', 'https://example.org/viewer/', /no "#!"/],
    ['a URL ending at #!', 'https://example.org/#!', /holds no state/],
    [
      'a remote state file',
      'https://example.org/#!gs://bucket/state.json',
      /not fetched/
    ],
    ['broken JSON', 'https://example.org/#!{"layers": [', /not valid JSON/],
    [
      'broken percent-encoding',
      'https://example.org/#!%7B%22a%',
      /not valid JSON/
    ],
    ['a JSON array', '#![1, 2]', /must be a JSON object.*an array/],
    ['a JSON number', '#!42', /must be a JSON object.*42/]
  ])('refuses %s with a sentence', (_, input, message) => {
    expect(() => parseNeuroglancerInput(input)).toThrow(StateParseError);
    expect(() => parseNeuroglancerInput(input)).toThrow(message);
  });
});
