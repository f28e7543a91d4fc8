// The sandbox page: a small Slack client. Everything it shows comes from the sandbox server; the
// only markup inserted as HTML is what the server rendered (and escaped) from Block Kit and mrkdwn.
// Everything else is set as text.

const $ = (id) => document.getElementById(id);
const ui = {
  actingAs: $('acting-as'),
  alerts: $('alerts'),
  channelList: $('channel-list'),
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

async function react(channelId, ts, name, add) {
  try {
    await post(`/api/channels/${channelId}/reactions`, { ts, name, add });
  } catch (error) {
    showAlert(error.message);
  }
}

/** Values of the modal's inputs by block id, as the page holds them. */
function modalValues() {
  const values = {};
  for (const field of ui.modalBody.querySelectorAll('[data-block-id][data-type]')) {
    const type = field.dataset.type;
    if (type === 'checkboxes') values[field.dataset.blockId] = [...field.querySelectorAll('input:checked')].map((input) => input.value);
    else if (type === 'radio_buttons') values[field.dataset.blockId] = field.querySelector('input:checked')?.value ?? null;
    else {
      const control = field.querySelector('input, textarea, select');
      if (control) values[field.dataset.blockId] = control.value === '' ? null : control.value;
    }
  }
  return values;
}

function restoreValues(values) {
  for (const field of ui.modalBody.querySelectorAll('[data-block-id][data-type]')) {
    const value = values[field.dataset.blockId];
    if (value === undefined) continue;
    if (field.dataset.type === 'checkboxes' || field.dataset.type === 'radio_buttons') {
      const chosen = new Set(Array.isArray(value) ? value : [value]);
      for (const input of field.querySelectorAll('input')) input.checked = chosen.has(input.value);
    } else {
      const control = field.querySelector('input, textarea, select');
      if (control) control.value = value ?? '';
    }
  }
}

function renderModal(modal) {
  if (!modal) {
    shownModal = null;
    if (ui.modal.open) ui.modal.close();
    return;
  }
  const key = `${modal.id}\n${modal.title}\n${modal.html}\n${modal.notice}`;
  if (shownModal?.key === key && ui.modal.open) return;
  const sameView = shownModal?.id === modal.id;
  const typed = sameView ? modalValues() : {};
  ui.modalTitle.textContent = modal.title;
  // Server-rendered from the modal's Block Kit, every piece of text escaped there.
  ui.modalBody.innerHTML = modal.html;
  if (sameView) restoreValues(typed);
  ui.modalNotice.textContent = modal.notice ?? '';
  ui.modalNotice.hidden = !modal.notice;
  ui.modalClose.textContent = modal.close;
  ui.modalSubmit.textContent = modal.submit ?? '';
  ui.modalSubmit.hidden = !modal.submit;
  ui.modalSubmit.disabled = false;
  shownModal = { id: modal.id, key };
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
  const message = button.closest('li.message');
  button.disabled = true;
  try {
    await post(`/api/channels/${current}/actions`, { ts: message.dataset.ts, blockId: button.dataset.blockId, actionId: button.dataset.actionId, value: button.dataset.value });
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
      if (!state.channels.some((channel) => channel.id === current)) current = state.channels[0]?.id ?? '';
      renderChannelList(state.channels);
      if (current) renderChannel(await get(`/api/channels/${current}`));
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
  refresh();
};
window.addEventListener('hashchange', () => {
  current = location.hash.slice(1);
  channelKey = '';
  refresh().then(() => ui.main.querySelector('.composer textarea')?.focus());
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
refresh();
