'use strict';

// The page polls the API and updates rows in place, so a running preview is never reloaded by a refresh.
const POLL_MS = 2000;

function path(name) {
  return name.split('/').map(encodeURIComponent).join('/');
}

function show(text) {
  const box = document.getElementById('message');
  box.textContent = text || '';
  box.hidden = !text;
}

async function call(method, url) {
  const response = await fetch(url, { method });
  if (!response.ok) {
    let detail = response.status + ' ' + response.statusText;
    try {
      const problem = await response.json();
      detail = problem.detail || problem.message || detail;
    } catch (e) {
      // Not JSON: the status says enough.
    }
    throw new Error(detail);
  }
  return response.status === 204 ? null : response.json();
}

async function act(method, url) {
  try {
    await call(method, url);
    show('');
  } catch (e) {
    show(e.message);
  }
  refresh();
}

async function copy(text, button) {
  try {
    await navigator.clipboard.writeText(text);
  } catch (e) {
    // Outside a secure context the clipboard API is missing: copy through a selected text field.
    const field = document.createElement('textarea');
    field.value = text;
    document.body.appendChild(field);
    field.select();
    document.execCommand('copy');
    field.remove();
  }
  button.textContent = 'Copied';
  setTimeout(() => { button.textContent = 'Copy'; }, 1500);
}

function cell(row, cls) {
  const td = document.createElement('td');
  td.className = cls;
  row.appendChild(td);
  return td;
}

function button(label, cls, onClick) {
  const b = document.createElement('button');
  b.type = 'button';
  b.textContent = label;
  b.className = cls;
  b.addEventListener('click', onClick);
  return b;
}

function streamRow(stream) {
  const row = document.createElement('tr');
  row.dataset.stream = stream.name;
  const preview = document.createElement('img');
  preview.className = 'preview';
  preview.alt = 'preview of ' + stream.name;
  cell(row, 'preview-cell').appendChild(preview);
  cell(row, 'name').textContent = stream.name;
  const state = cell(row, 'state-cell');
  for (const cls of ['state', 'reason']) {
    const span = document.createElement('span');
    span.className = cls;
    state.appendChild(span);
  }
  cell(row, 'viewers');
  const url = cell(row, 'url');
  url.appendChild(document.createElement('code'));
  url.appendChild(button('Copy', 'copy', (e) => copy(row.dataset.url, e.target)));
  const actions = cell(row, 'actions');
  actions.appendChild(button('Start', 'start', () => act('POST', '/api/streams/' + path(stream.name) + '/start')));
  actions.appendChild(button('Stop', 'stop', () => act('POST', '/api/streams/' + path(stream.name) + '/stop')));
  return row;
}

function updateStream(row, stream) {
  // Elements stay and only their text changes, so a reference to them (a test's, an assistive tool's) holds.
  const label = row.querySelector('.state');
  label.className = 'state ' + stream.state;
  label.textContent = stream.state;
  const reason = row.querySelector('.reason');
  reason.textContent = stream.reason || '';
  reason.hidden = !stream.reason;
  row.querySelector('.viewers').textContent = stream.viewers;
  row.dataset.url = stream.rtspUrl;
  row.querySelector('.url code').textContent = stream.rtspUrl;
  row.querySelector('button.start').disabled = stream.state === 'RUNNING';
  row.querySelector('button.stop').disabled = stream.state === 'STOPPED';
  // A new image only when what it shows changes: the MJPEG preview ends with the stream and starts again with it.
  const live = stream.preview === 'mjpeg' && stream.state === 'RUNNING';
  const key = (live ? 'mjpeg:' : 'still:') + stream.state;
  if (row.dataset.previewKey !== key) {
    row.dataset.previewKey = key;
    const img = row.querySelector('img.preview');
    img.src = '/api/streams/' + path(stream.name) + (live ? '/preview' : '/still') + '?t=' + Date.now();
  }
}

function renderStreams(streams) {
  const body = document.querySelector('#streams tbody');
  const rows = new Map([...body.querySelectorAll('tr')].map((r) => [r.dataset.stream, r]));
  for (const stream of streams) {
    let row = rows.get(stream.name);
    if (!row) {
      row = streamRow(stream);
    }
    rows.delete(stream.name);
    body.appendChild(row);
    updateStream(row, stream);
  }
  for (const gone of rows.values()) {
    gone.querySelector('img.preview').src = '';
    gone.remove();
  }
  document.getElementById('no-streams').hidden = streams.length > 0;
}

function renderSessions(sessions) {
  const body = document.querySelector('#sessions tbody');
  body.innerHTML = '';
  for (const s of sessions) {
    const row = document.createElement('tr');
    row.dataset.session = s.id;
    for (const [cls, value] of [['id', s.id], ['client', s.client], ['stream', s.stream], ['transport', s.transport],
      ['session-state', s.state], ['packets', s.packets], ['dropped', s.droppedFrames]]) {
      cell(row, cls).textContent = value;
    }
    cell(row, 'actions').appendChild(button('Kick', 'kick', () => act('DELETE', '/api/sessions/' + encodeURIComponent(s.id))));
    body.appendChild(row);
  }
  document.getElementById('no-sessions').hidden = sessions.length > 0;
}

async function refresh() {
  try {
    renderStreams(await call('GET', '/api/streams'));
  } catch (e) {
    show(e.message);
  }
  try {
    renderSessions(await call('GET', '/api/sessions'));
  } catch (e) {
    renderSessions([]);
  }
}

refresh();
setInterval(refresh, POLL_MS);
