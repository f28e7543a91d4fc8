import { describe, expect, it } from 'vitest';
import { blocksToHtml, modalBodyToHtml, mrkdwnToHtml, textToHtml, type Names } from '../../src/sandbox/render.js';

const names: Names = {
  user: (id) => ({ UALICE: 'Alice', UEVIL: '<img src=x onerror=alert(1)>' })[id],
  channel: (id) => ({ CGENERAL: 'general' })[id],
};

describe('mrkdwn as HTML', () => {
  it('shows bold, italic, strike, code, quotes and emoji as Slack does', () => {
    const html = mrkdwnToHtml('*bold* _italic_ ~gone~ `npm ci` :pushpin:\n> quoted', names);
    expect(html).toContain('<strong>bold</strong>');
    expect(html).toContain('<em>italic</em>');
    expect(html).toContain('<del>gone</del>');
    expect(html).toContain('<code>npm ci</code>');
    expect(html).toContain('📌');
    expect(html).toContain('<blockquote>quoted');
  });

  it('names people and channels in mentions, escaping the names', () => {
    expect(mrkdwnToHtml('<@UALICE> in <#CGENERAL>', names)).toMatch(/@Alice.*#general/);
    const evil = mrkdwnToHtml('<@UEVIL>', names);
    expect(evil).not.toContain('<img');
    expect(evil).toContain('&lt;img src=x onerror=alert(1)&gt;');
  });

  it('never lets text become markup: tags, entities and attributes are shown as typed', () => {
    const html = mrkdwnToHtml('<script>alert(1)</script> &lt;b&gt;bold?&lt;/b&gt; a &amp; b', names);
    expect(html).not.toMatch(/<script|<b>/);
    expect(html).toContain('&lt;b&gt;bold?&lt;/b&gt;');
    expect(html).toContain('a &amp; b');
  });

  it('links only http(s) and mailto, opening in a new tab without the opener', () => {
    const html = mrkdwnToHtml('<https://status.example.com|status page> <javascript:alert(1)|click> <https://x.test/"onmouseover="alert(1)|y>', names);
    expect(html).toContain('<a rel="noopener noreferrer" href="https://status.example.com" target="_blank">status page</a>');
    expect(html).not.toContain('href="javascript');
    expect(html).not.toMatch(/"\s*onmouseover=/);
  });
});

describe('Block Kit as HTML', () => {
  it('renders header, section text and fields, context, divider and buttons with what a click sends back', () => {
    const html = blocksToHtml(
      [
        { type: 'header', text: { type: 'plain_text', text: ':rotating_light: Checkout <down>' } },
        { type: 'section', text: { type: 'mrkdwn', text: '*Status:* Investigating' }, fields: [{ type: 'mrkdwn', text: '*IC* <@UALICE>' }] },
        { type: 'context', elements: [{ type: 'mrkdwn', text: 'Incident #1' }] },
        { type: 'divider' },
        { type: 'actions', block_id: 'summary', elements: [{ type: 'button', action_id: 'resolve', text: { type: 'plain_text', text: 'Resolve' }, value: '1" onclick="x', style: 'danger' }] },
      ],
      names,
    );
    expect(html).toContain('role="heading" aria-level="3">🚨 Checkout &lt;down&gt;</div>');
    expect(html).toContain('<strong>Status:</strong> Investigating');
    expect(html).toMatch(/<strong>IC<\/strong> <span class="s-mention s-user">@Alice<\/span>/);
    expect(html).toContain('<div class="block context"><span>Incident #1</span></div>');
    expect(html).toContain('<hr class="block divider">');
    expect(html).toContain('<button type="button" class="danger" data-block-id="summary" data-action-id="resolve" data-value="1&quot; onclick=&quot;x">Resolve</button>');
  });

  it('says so for a block it does not show, rather than dropping it', () => {
    expect(blocksToHtml([{ type: 'video' }], names)).toContain('(a video block, which the sandbox does not show)');
  });

  it('shows plain text as text, emoji included', () => {
    expect(textToHtml({ type: 'plain_text', text: '<i>:fire:</i>' }, names)).toBe('&lt;i&gt;🔥&lt;/i&gt;');
  });
});

describe('modals as forms', () => {
  const view = {
    id: 'V1',
    blocks: [
      { type: 'input', block_id: 'title', label: { type: 'plain_text', text: 'Title' }, element: { type: 'plain_text_input', action_id: 't', initial_value: '"><script>x</script>' } },
      { type: 'input', block_id: 'notes', optional: true, label: { type: 'plain_text', text: 'Notes' }, element: { type: 'plain_text_input', action_id: 'n', multiline: true } },
      {
        type: 'input',
        block_id: 'sev',
        label: { type: 'plain_text', text: 'Severity' },
        element: { type: 'static_select', action_id: 's', options: [{ text: { type: 'plain_text', text: 'SEV1' }, value: 'SEV1' }, { text: { type: 'plain_text', text: 'SEV2' }, value: 'SEV2' }], initial_option: { text: { type: 'plain_text', text: 'SEV2' }, value: 'SEV2' } },
      },
      { type: 'input', block_id: 'who', label: { type: 'plain_text', text: 'Commander' }, element: { type: 'users_select', action_id: 'u', initial_user: 'UALICE' } },
      { type: 'input', block_id: 'private', optional: true, label: { type: 'plain_text', text: 'Visibility' }, element: { type: 'checkboxes', action_id: 'c', options: [{ text: { type: 'plain_text', text: 'Private' }, value: 'private' }] } },
      { type: 'input', block_id: 'kind', label: { type: 'plain_text', text: 'Kind' }, element: { type: 'radio_buttons', action_id: 'r', options: [{ text: { type: 'plain_text', text: 'Drill' }, value: 'drill' }] } },
      { type: 'input', block_id: 'due', label: { type: 'plain_text', text: 'Due' }, element: { type: 'datepicker', action_id: 'd', initial_date: '2026-12-01' } },
    ],
  };
  const html = modalBodyToHtml(view, [{ id: 'UALICE', name: 'Alice' }, { id: 'UBOB', name: 'Bob' }], { title: 'Please fill out this field.' }, names);

  it('labels every input by its Block Kit label, with the error under its field', () => {
    expect(html).toContain('<label for="field-V1-0">Title</label><input type="text" id="field-V1-0" value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;" aria-describedby="field-V1-0-error" aria-invalid="true">');
    expect(html).toContain('<div class="error" id="field-V1-0-error">Please fill out this field.</div>');
    expect(html).toContain('<label for="field-V1-1">Notes <span class="optional">(optional)</span></label><textarea id="field-V1-1"></textarea>');
    expect(html).toContain('<option value="SEV2" selected>SEV2</option>');
    expect(html).toContain('<option value="UALICE" selected>Alice</option><option value="UBOB">Bob</option>');
    expect(html).toContain('<legend>Visibility <span class="optional">(optional)</span></legend><label class="choice"><input type="checkbox"');
    expect(html).toContain('<input type="radio" name="field-V1-5" value="drill"');
    expect(html).toContain('<input type="date" id="field-V1-6" value="2026-12-01">');
  });
});

describe('number inputs, multiple selects and dispatch_action', () => {
  const option = (value: string) => ({ text: { type: 'plain_text', text: value }, value });
  const view = {
    id: 'V2',
    blocks: [
      { type: 'input', block_id: 'kind', dispatch_action: true, optional: true, label: { type: 'plain_text', text: 'Type' }, element: { type: 'static_select', action_id: 'k', options: [option('security'), option('payments')] } },
      { type: 'input', block_id: 'records', label: { type: 'plain_text', text: 'Records' }, element: { type: 'number_input', action_id: 'n', is_decimal_allowed: false, initial_value: '12' } },
      { type: 'input', block_id: 'rate', label: { type: 'plain_text', text: 'Rate' }, element: { type: 'number_input', action_id: 'r', is_decimal_allowed: true } },
      { type: 'input', block_id: 'providers', label: { type: 'plain_text', text: 'Providers' }, element: { type: 'multi_static_select', action_id: 'p', options: [option('Stripe'), option('<PayPal>'), option('Adyen')], initial_options: [option('Adyen')] } },
    ],
  };
  const html = modalBodyToHtml(view, [], {}, names);

  it('marks an input whose choice goes to the app at once, and only that one', () => {
    expect(html).toContain('data-block-id="kind" data-action-id="k" data-type="static_select" data-dispatch="true"');
    expect(html.match(/data-dispatch/g)).toHaveLength(1);
  });

  it('shows a number input as a text box with a number keypad, whole or decimal, with its initial value', () => {
    expect(html).toContain('<input type="text" inputmode="numeric" id="field-V2-1" value="12">');
    expect(html).toContain('<input type="text" inputmode="decimal" id="field-V2-2" value="">');
  });

  it('shows a multiple select as a list of every choice, its initial ones selected, the text escaped', () => {
    expect(html).toContain('<select multiple size="3" id="field-V2-3"><option value="Stripe">Stripe</option><option value="&lt;PayPal&gt;">&lt;PayPal&gt;</option><option value="Adyen" selected>Adyen</option></select><div class="hint">Hold Ctrl (⌘ on a Mac) and click to choose more than one.</div>');
  });
});
