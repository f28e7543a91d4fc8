// The sandbox page: a small Slack client. Everything it shows comes from the sandbox server; the
// only markup inserted as HTML is what the server rendered (and escaped) from Block Kit and mrkdwn.
// Everything else is set as text.

const $ = (id) => document.getElementById(id);
const ui = {
  actingAs: $('acting-as'),
  alerts: $('alerts'),
  channelList: $('channel-list'),
  homeLink: $('home-link'),
  main: $('channel'),
  modal: $('modal'),
  modalForm: $('modal-form'),
  modalTitle: $('modal-title'),
  modalNotice: $('modal-notice'),
  modalBody: $('modal-body'),
  modalClose: $('modal-close'),
  modalSubmit: $('modal-submit'),
  fileViewer: $('file-viewer'),
  fileTitle: $('file-title'),
  fileContent: $('file-content'),
  fileDownload: $('file-download'),
  fileClose: $('file-close'),
};

const PAGE_TIMEOUT_MS = 10_000;
/** The app's Home tab takes the place of a channel at `#home`. */
const HOME = 'home';
let me = localStorage.getItem('sandbox.actingAs') || 'UALICE';
let current = location.hash.slice(1) || 'CGENERAL';
let shownModal = null;
let channelKey = '';

function element(tag, properties = {}, children = []) {
  const node = document.createElement(tag);
  for (const [key, value] of Object.entries(properties)) {
    if (key === 'text') node.textContent = value;
    else if (key === 'dataset') Object.assign(node.dataset, value);
    else if (key.startsWith('aria-') || key === 'role') node.setAttribute(key, value);
    else node[key] = value;
  }
  for (const child of children) if (child) node.append(child);
  return node;
}

/** An alert the person sees until they dismiss it: never a blank screen or a silent failure. */
function showAlert(message) {
  const item = element('div', { className: 'alert' }, [element('span', { text: message }), element('button', { type: 'button', text: 'Dismiss', onclick: () => item.remove() })]);
  ui.alerts.append(item);
  while (ui.alerts.children.length > 3) ui.alerts.firstElementChild.remove();
}

async function call(method, path, body) {
  let response;
  try {
    response = await fetch(path, {
      method,
      headers: body ? { 'content-type': 'application/json' } : {},
      body: body ? JSON.stringify({ as: me, ...body }) : undefined,
      signal: AbortSignal.timeout(PAGE_TIMEOUT_MS),
    });
  } catch (error) {
    throw new Error(error.name === 'TimeoutError' ? 'The sandbox did not answer within 10 seconds: is `npm run sandbox` still running?' : 'Cannot reach the sandbox: is `npm run sandbox` still running?');
  }
  const answer = await response.json().catch(() => ({ ok: false, error: `The sandbox answered HTTP ${response.status}.` }));
  if (!response.ok || answer.ok === false) throw new Error(answer.error || `The sandbox answered HTTP ${response.status}.`);
  return answer;
}
const get = (path) => call('GET', `${path}${path.includes('?') ? '&' : '?'}as=${encodeURIComponent(me)}`);
const post = (path, body) => call('POST', path, body);

function renderPeople(people) {
  const key = people.map((person) => person.id).join();
  if (ui.actingAs.dataset.key !== key) {
    ui.actingAs.replaceChildren(...people.map((person) => element('option', { value: person.id, text: person.title ? `${person.name} (${person.title})` : person.name })));
    ui.actingAs.dataset.key = key;
  }
  ui.actingAs.value = me;
}

function renderChannelList(channels) {
  if (current === HOME) ui.homeLink.setAttribute('aria-current', 'page');
  else ui.homeLink.removeAttribute('aria-current');
  ui.channelList.replaceChildren(
    ...channels.map((channel) => {
      const link = element('a', { href: `#${channel.id}`, text: channel.label });
      if (channel.isPrivate) link.prepend(element('span', { text: '🔒 ', 'aria-hidden': 'true' }));
      if (channel.id === current) link.setAttribute('aria-current', 'page');
      if (channel.isArchived) link.append(element('span', { className: 'muted', text: ' (archived)' }));
      return element('li', {}, [link]);
    }),
  );
}

function html(tag, markup, className) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  // Server-rendered from Block Kit and mrkdwn, every piece of text escaped there.
  node.innerHTML = markup;
  return node;
}

function messageItem(message, channelId) {
  const header = element('div', { className: 'meta' }, [
    element('strong', { text: message.author }),
    message.isBot ? element('span', { className: 'tag', text: 'APP' }) : null,
    element('time', { text: ` ${message.time}` }),
    message.ephemeral ? element('span', { className: 'muted', text: ' Only visible to you' }) : null,
    message.inThread ? element('span', { className: 'muted', text: ' replied in a thread' }) : null,
  ]);
  const files = message.files.map((file) =>
    element('div', { className: 'file' }, [
      element('span', { text: '📄 ' }),
      element('button', { type: 'button', text: `View ${file.title}`, onclick: () => openFile(file) }),
      element('a', { href: `/files/${file.id}?as=${encodeURIComponent(me)}&download=1`, download: file.name, text: `Download ${file.name}` }),
    ]),
  );
  const reactions = message.ephemeral
    ? null
    : element('div', { className: 'reactions' }, [
        ...message.reactions.map((reaction) => {
          const chip = element('button', { type: 'button', className: 'reaction', 'aria-pressed': String(reaction.mine), title: `:${reaction.name}:` });
          chip.append(html('span', reaction.emoji), element('span', { text: ` ${reaction.count}` }));
          chip.setAttribute('aria-label', `${reaction.mine ? 'Remove' : 'Add'} :${reaction.name}: reaction (${reaction.count})`);
          chip.onclick = () => react(channelId, message.ts, reaction.name, !reaction.mine);
          return chip;
        }),
        message.reactions.some((reaction) => reaction.name === 'pushpin' && reaction.mine)
          ? null
          : element('button', { type: 'button', className: 'add-reaction', text: '📌 Pin with :pushpin:', onclick: () => react(channelId, message.ts, 'pushpin', true) }),
      ]);
  const item = element('li', { className: `message${message.ephemeral ? ' ephemeral' : ''}`, dataset: { ts: message.ts, ephemeral: String(message.ephemeral) } }, [header, html('div', message.html, 'body'), ...files, reactions]);
  item.setAttribute('aria-label', `${message.author} at ${message.time}`);
  return item;
}

function renderChannel(view) {
  const title = element('h2', { id: 'channel-title', text: view.label });
  const topic = html('p', view.topicHtml || '<span class="muted">No topic</span>', 'topic');
  const details = element('div', { className: 'details' }, [
    element('section', { 'aria-label': 'Pinned items' }, [
      element('h3', { text: `Pinned (${view.pinned.length})` }),
      element('ul', {}, view.pinned.map((pin) => element('li', {}, [html('div', pin.html)]))),
    ]),
    element('section', { 'aria-label': 'Members' }, [element('h3', { text: `Members (${view.members.length})` }), element('p', { text: view.members.join(', ') })]),
  ]);
  const list = element('ol', { className: 'messages', 'aria-label': `Messages in ${view.label}` }, view.messages.map((message) => messageItem(message, view.id)));
  const box = ui.main.querySelector('.composer textarea');
  const typed = box && channelKey === view.id ? box.value : '';
  const hadFocus = box && document.activeElement === box;
  const composer = element('form', { className: 'composer' });
  const textbox = element('textarea', { rows: 2, placeholder: view.isArchived ? 'This channel is archived' : `Message ${view.label} or type /incident help`, disabled: view.isArchived, value: typed, 'aria-label': `Message ${view.label}` });
  textbox.addEventListener('keydown', (event) => {
    if (event.key === 'Enter' && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      composer.requestSubmit();
    }
  });
  composer.onsubmit = async (event) => {
    event.preventDefault();
    const text = textbox.value;
    if (!text.trim()) return showAlert('Type a message first.');
    textbox.value = '';
    try {
      await post(`/api/channels/${view.id}/messages`, { text });
    } catch (error) {
      textbox.value = text;
      showAlert(error.message);
    }
    refresh();
  };
  composer.append(textbox, element('button', { type: 'submit', text: 'Send', disabled: view.isArchived }));
  // Stay where the person was reading, unless they were at the newest message (or just arrived).
  const previous = channelKey === view.id ? ui.main.querySelector('.messages') : null;
  const atBottom = !previous || previous.scrollTop + previous.clientHeight >= previous.scrollHeight - 40;
  const scrollTop = previous?.scrollTop ?? 0;
  ui.main.replaceChildren(title, topic, details, list, composer);
  channelKey = view.id;
  if (hadFocus) textbox.focus();
  list.scrollTop = atBottom ? list.scrollHeight : scrollTop;
}

/** The Home tab as the app last published it for this person; it changes live when the app publishes again. */
function renderHome(home) {
  const title = element('h2', { id: 'channel-title', text: 'Home' });
  const body = home.html === null ? element('p', { className: 'muted', text: 'The app has not published a Home tab for you yet.' }) : html('div', home.html, 'home body');
  ui.main.replaceChildren(title, body);
  channelKey = HOME;
}

/** Opening the Home tab: Slack tells the app (app_home_opened), which publishes it if what you would see is out of date. */
async function openHome() {
  try {
    await post('/api/home/open', {});
  } catch (error) {
    showAlert(error.message);
  }
  refresh();
}

async function react(channelId, ts, name, add) {
  try {
    await post(`/api/channels/${channelId}/reactions`, { ts, name, add });
  } catch (error) {
    showAlert(error.message);
  }
}

/** What one input holds: text, a choice, a list of choices, or null. */
function fieldValue(field) {
  const type = field.dataset.type;
  if (type === 'checkboxes') return [...field.querySelectorAll('input:checked')].map((input) => input.value);
  if (type === 'radio_buttons') return field.querySelector('input:checked')?.value ?? null;
  const control = field.querySelector('input, textarea, select');
  if (!control) return undefined;
  if (control.multiple) return [...control.selectedOptions].map((option) => option.value);
  return control.value === '' ? null : control.value;
}

const modalFields = () => ui.modalBody.querySelectorAll('[data-block-id][data-type]');

/** Values of the modal's inputs by block id, as the page holds them. */
function modalValues() {
  const values = {};
  for (const field of modalFields()) {
    const value = fieldValue(field);
    if (value !== undefined) values[field.dataset.blockId] = value;
  }
  return values;
}

/** Each input's value with its action id, by block id: what the form showed when drawn. */
function drawnValues() {
  const drawn = {};
  for (const field of modalFields()) drawn[field.dataset.blockId] = { actionId: field.dataset.actionId, value: JSON.stringify(fieldValue(field)) };
  return drawn;
}

/** The inputs the person changed since the form was drawn, with their action ids. */
function changedSince(drawn) {
  const changed = {};
  for (const field of modalFields()) {
    const value = fieldValue(field);
    const before = drawn[field.dataset.blockId];
    if (value !== undefined && (!before || before.actionId !== field.dataset.actionId || before.value !== JSON.stringify(value))) changed[field.dataset.blockId] = { actionId: field.dataset.actionId, value };
  }
  return changed;
}

/** Puts back what the person typed or chose, into inputs with the same block and action ids (as Slack keeps an input's state). */
function restoreValues(changed) {
  for (const field of modalFields()) {
    const kept = changed[field.dataset.blockId];
    if (!kept || kept.actionId !== field.dataset.actionId) continue;
    const value = kept.value;
    if (field.dataset.type === 'checkboxes' || field.dataset.type === 'radio_buttons') {
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const input of field.querySelectorAll('input')) input.checked = chosen.has(input.value);
      continue;
    }
    const control = field.querySelector('input, textarea, select');
    if (!control) continue;
    if (control.multiple) {
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const option of control.options) option.selected = chosen.has(option.value);
    } else control.value = value ?? '';
  }
}

function renderModal(modal) {
  if (!modal) {
    shownModal = null;
    if (ui.modal.open) ui.modal.close();
    return;
  }
  const key = `${modal.id}\n${modal.hash}\n${modal.title}\n${modal.html}\n${modal.notice}`;
  if (shownModal?.key === key && ui.modal.open) return;
  const sameView = shownModal?.id === modal.id;
  // Redrawn (errors shown, or the app's views.update): what the person changed stays; the rest is the new form's.
  const changed = sameView ? changedSince(shownModal.drawn) : {};
  ui.modalTitle.textContent = modal.title;
  // Server-rendered from the modal's Block Kit, every piece of text escaped there.
  ui.modalBody.innerHTML = modal.html;
  const drawn = drawnValues();
  if (sameView) restoreValues(changed);
  ui.modalNotice.textContent = modal.notice ?? '';
  ui.modalNotice.hidden = !modal.notice;
  ui.modalClose.textContent = modal.close;
  ui.modalSubmit.textContent = modal.submit ?? '';
  ui.modalSubmit.hidden = !modal.submit;
  ui.modalSubmit.disabled = false;
  shownModal = { id: modal.id, key, drawn };
  if (!ui.modal.open) ui.modal.showModal();
  if (!sameView) ui.modalBody.querySelector('input, textarea, select')?.focus();
}

ui.modalForm.addEventListener('submit', async (event) => {
  event.preventDefault();
  if (!shownModal || ui.modalSubmit.hidden || ui.modalSubmit.disabled) return;
  const id = shownModal.id;
  ui.modalSubmit.disabled = true;
  ui.modalNotice.hidden = true;
  try {
    await post(`/api/views/${id}/submit`, { values: modalValues() });
  } catch (error) {
    ui.modalNotice.textContent = error.message;
    ui.modalNotice.hidden = false;
  } finally {
    ui.modalSubmit.disabled = false;
  }
  refresh();
});
/** A choice in an input with dispatch_action goes to the app at once (block_actions); the app may redraw the form. */
async function dispatchAction(field) {
  if (!shownModal) return;
  try {
    await post(`/api/views/${shownModal.id}/actions`, { blockId: field.dataset.blockId, actionId: field.dataset.actionId, values: modalValues() });
  } catch (error) {
    ui.modalNotice.textContent = error.message;
    ui.modalNotice.hidden = false;
  }
}
ui.modalBody.addEventListener('change', (event) => {
  const field = event.target.closest('[data-dispatch="true"]');
  // Text goes when Enter is pressed, as Slack's default trigger for a text input.
  if (field && field.dataset.type !== 'plain_text_input') dispatchAction(field);
});
ui.modalBody.addEventListener('keydown', (event) => {
  const field = event.target.closest('[data-dispatch="true"][data-type="plain_text_input"]');
  if (!field || event.key !== 'Enter' || event.shiftKey || event.isComposing) return;
  event.preventDefault();
  dispatchAction(field);
});
ui.modalClose.onclick = async () => {
  if (!shownModal) return ui.modal.close();
  try {
    await post(`/api/views/${shownModal.id}/close`, {});
  } catch (error) {
    showAlert(error.message);
  }
  ui.modal.close();
  shownModal = null;
  refresh();
};
// Escape closes a modal in Slack too.
ui.modal.addEventListener('cancel', (event) => {
  event.preventDefault();
  ui.modalClose.click();
});

async function openFile(file) {
  try {
    const response = await fetch(`/files/${file.id}?as=${encodeURIComponent(me)}`, { signal: AbortSignal.timeout(PAGE_TIMEOUT_MS) });
    if (!response.ok) throw new Error((await response.json().catch(() => ({}))).error || `The sandbox answered HTTP ${response.status}.`);
    ui.fileTitle.textContent = file.title;
    ui.fileContent.textContent = await response.text();
    ui.fileDownload.href = `/files/${file.id}?as=${encodeURIComponent(me)}&download=1`;
    ui.fileDownload.download = file.name;
    ui.fileDownload.textContent = `Download ${file.name}`;
    ui.fileViewer.showModal();
  } catch (error) {
    showAlert(error.message);
  }
}
ui.fileClose.onclick = () => ui.fileViewer.close();

// Buttons in messages (Block Kit actions and accessories) go to the bot as block_actions.
ui.main.addEventListener('click', async (event) => {
  const button = event.target.closest('button[data-action-id]');
  if (!button) return;
  const clicked = { blockId: button.dataset.blockId, actionId: button.dataset.actionId, value: button.dataset.value };
  button.disabled = true;
  try {
    if (current === HOME) await post('/api/home/actions', clicked);
    else await post(`/api/channels/${current}/actions`, { ts: button.closest('li.message').dataset.ts, ...clicked });
  } catch (error) {
    showAlert(error.message);
  } finally {
    button.disabled = false;
  }
});

let refreshing = null;
let again = false;
/** Fetches what this person sees; calls that arrive while one runs are folded into one more. */
function refresh() {
  if (refreshing) {
    again = true;
    return refreshing;
  }
  refreshing = (async () => {
    try {
      const state = await get('/api/state');
      renderPeople(state.people);
      if (current !== HOME && !state.channels.some((channel) => channel.id === current)) current = state.channels[0]?.id ?? '';
      renderChannelList(state.channels);
      if (current === HOME) renderHome(await get('/api/home'));
      else if (current) renderChannel(await get(`/api/channels/${current}`));
      renderModal(state.modal);
    } catch (error) {
      showAlert(error.message);
    }
  })().finally(() => {
    refreshing = null;
    if (again) {
      again = false;
      refresh();
    }
  });
  return refreshing;
}

ui.actingAs.onchange = () => {
  me = ui.actingAs.value;
  localStorage.setItem('sandbox.actingAs', me);
  shownModal = null;
  if (ui.modal.open) ui.modal.close();
  if (current === HOME) openHome();
  else refresh();
};
window.addEventListener('hashchange', () => {
  current = location.hash.slice(1);
  channelKey = '';
  if (current === HOME) openHome();
  else refresh().then(() => ui.main.querySelector('.composer textarea')?.focus());
});

const events = new EventSource('/events');
let lost = false;
events.addEventListener('change', () => refresh());
events.onerror = () => {
  if (!lost) showAlert('Lost the live connection to the sandbox; retrying…');
  lost = true;
};
events.onopen = () => {
  if (lost) refresh();
  lost = false;
};
if (current === HOME) openHome();
else refresh();
