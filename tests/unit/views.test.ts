import { describe, expect, it } from 'vitest';
import { DEFAULT_SEVERITY, SEVERITIES } from '../../src/domain/severity.js';
import { announcementMessage, kickoffMessage } from '../../src/slack/views/kickoffMessage.js';
import { declareFailedView, declareModal, declaredView, declaringView } from '../../src/slack/views/declareModal.js';
import { validateMessageBlocks, validateModalView } from '../../src/sandbox/blockKitRules.js';

const longest = 'W'.repeat(5000);

describe('Block Kit views stay inside Slack\'s limits', () => {
  it('the declare modal, even with an absurdly long prefilled title', () => {
    const view = declareModal({ severities: SEVERITIES, defaultSeverity: DEFAULT_SEVERITY, title: longest, commanderId: 'UALICE', metadata: { channelId: 'C1' } });
    expect(validateModalView(view)).toEqual([]);
  });

  it('the declare outcome views, with a long title and many warnings', () => {
    expect(validateModalView(declaringView(longest))).toEqual([]);
    expect(validateModalView(declaredView('C1', Array.from({ length: 40 }, () => longest.slice(0, 400))))).toEqual([]);
    expect(validateModalView(declareFailedView(longest))).toEqual([]);
  });

  it('the kickoff message splits a long body into sections of at most 3000 characters and keeps the header ≤ 150', () => {
    const message = kickoffMessage({ incidentId: 1, title: longest, severityLevel: 'SEV1', body: `${'line\n'.repeat(2000)}${longest}`, declaredAtEpochSeconds: 1_800_000_000, open: true, drill: true, acknowledged: false });
    expect(validateMessageBlocks(message.blocks)).toEqual([]);
    expect(validateMessageBlocks(announcementMessage(longest, 'x').blocks)).toEqual([]);
  });
});

describe('the Block Kit rules themselves catch what Slack rejects', () => {
  it.each([
    ['51 blocks in a message', { blocks: Array.from({ length: 51 }, () => ({ type: 'divider' })) }, /at most 50 blocks/],
    ['a 3001-character section', { blocks: [{ type: 'section', text: { type: 'mrkdwn', text: 'x'.repeat(3001) } }] }, /at most 3000/],
    ['a 151-character header', { blocks: [{ type: 'header', text: { type: 'plain_text', text: 'x'.repeat(151) } }] }, /at most 150/],
    ['an input block in a message', { blocks: [{ type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'plain_text_input' } }] }, /only allowed in modals/],
  ])('rejects %s', (_case, message, problem) => {
    expect(validateMessageBlocks(message.blocks).join('\n')).toMatch(problem);
  });

  const modal = (overrides: Record<string, unknown>) => ({ type: 'modal', title: { type: 'plain_text', text: 'Title' }, blocks: [], ...overrides });
  it.each([
    ['a 25-character title', modal({ title: { type: 'plain_text', text: 'x'.repeat(25) } }), /title\/text: must be at most 24/],
    ['a 25-character submit', modal({ submit: { type: 'plain_text', text: 'x'.repeat(25) } }), /submit\/text: must be at most 24/],
    ['101 blocks', modal({ blocks: Array.from({ length: 101 }, () => ({ type: 'divider' })) }), /at most 100 blocks/],
    [
      '101 select options',
      modal({
        submit: { type: 'plain_text', text: 'Go' },
        blocks: [{ type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'static_select', action_id: 'a', options: Array.from({ length: 101 }, (_, i) => ({ text: { type: 'plain_text', text: `${i}` }, value: `${i}` })) } }],
      }),
      /1–100 options/,
    ],
    ['inputs without a submit button', modal({ blocks: [{ type: 'input', label: { type: 'plain_text', text: 'x' }, element: { type: 'plain_text_input', action_id: 'a' } }] }), /submit: is required/],
  ])('rejects a modal with %s', (_case, view, problem) => {
    expect(validateModalView(view).join('\n')).toMatch(problem);
  });
});
