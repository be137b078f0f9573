'use strict';
// The sample's page: no framework, no build step. Uploads go to POST /api/transcriptions and
// progress is read from its event stream with fetch (EventSource cannot POST); the pool panel
// polls what the starter exposes: /actuator/httppools/transcription, once a second, and the
// Resilience4j retry counters of /actuator/prometheus.

const $ = (id) => document.getElementById(id);
const CLIENT = 'transcription';
const WINDOW_MS = 60_000;
let selected = null;

// ---- upload ----

function choose(file) {
	selected = file || null;
	$('drop-text').textContent = selected
		? selected.name + ' (' + Math.round(selected.size / 1024) + ' KB)'
		: 'Drop a WAV file here, or choose one';
	$('start').disabled = !selected;
}

$('file').addEventListener('change', () => choose($('file').files[0]));
$('drop').addEventListener('dragover', (event) => {
	event.preventDefault();
	$('drop').classList.add('over');
});
$('drop').addEventListener('dragleave', () => $('drop').classList.remove('over'));
$('drop').addEventListener('drop', (event) => {
	event.preventDefault();
	$('drop').classList.remove('over');
	choose(event.dataTransfer.files[0]);
});
$('upload').addEventListener('submit', (event) => {
	event.preventDefault();
	transcribe();
});

function setState(state, text) {
	document.body.dataset.state = state;
	$('status').textContent = text;
}

function showError(message) {
	$('error').textContent = message;
	$('error').hidden = false;
	setState('failed', 'Failed.');
}

async function transcribe() {
	if (!selected) {
		return;
	}
	$('error').hidden = true;
	$('progress').replaceChildren();
	$('transcript').replaceChildren();
	$('summary').textContent = '';
	$('start').disabled = true;
	setState('running', 'Uploading and transcribing ' + selected.name + '...');
	const form = new FormData();
	form.append('file', selected, selected.name);
	if ($('language').value) {
		form.append('language', $('language').value);
	}
	try {
		const response = await fetch('/api/transcriptions',
			{ method: 'POST', body: form, headers: { Accept: 'text/event-stream' } });
		if (!response.ok) {
			showError(await errorMessage(response));
			return;
		}
		await readEvents(response.body, onEvent);
		if (document.body.dataset.state === 'running') {
			showError('the event stream ended without a result');
		}
	}
	catch (failure) {
		showError('the request failed: ' + failure.message);
	}
	finally {
		$('start').disabled = !selected;
	}
}

/** The API's own words: the message of its JSON error body. */
async function errorMessage(response) {
	const text = await response.text();
	try {
		const body = JSON.parse(text);
		return body.message || text;
	}
	catch (notJson) {
		return response.status + ' ' + (text || response.statusText);
	}
}

/** Server-sent events from a fetch body: blocks separated by a blank line. */
async function readEvents(body, handle) {
	const reader = body.getReader();
	const decoder = new TextDecoder();
	let buffer = '';
	for (;;) {
		const { value, done } = await reader.read();
		if (done) {
			break;
		}
		buffer += decoder.decode(value, { stream: true });
		let end;
		while ((end = buffer.search(/\r?\n\r?\n/)) >= 0) {
			const block = buffer.slice(0, end);
			buffer = buffer.slice(end).replace(/^\r?\n\r?\n/, '');
			dispatch(block, handle);
		}
	}
	if (buffer.trim()) {
		dispatch(buffer, handle);
	}
}

function dispatch(block, handle) {
	let name = 'message';
	const data = [];
	for (const line of block.split(/\r?\n/)) {
		if (line.startsWith('event:')) {
			name = line.slice(6).trim();
		}
		else if (line.startsWith('data:')) {
			data.push(line.slice(5).replace(/^ /, ''));
		}
	}
	if (data.length) {
		handle(name, JSON.parse(data.join('\n')));
	}
}

function onEvent(name, data) {
	if (name === 'chunk') {
		const item = document.createElement('li');
		item.dataset.index = data.index;
		item.innerHTML = '<span class="time"></span><span class="text"></span> <span class="meta"></span>';
		item.querySelector('.time').textContent = 'chunk ' + (data.index + 1) + ', ' + time(data.start) + ' - '
			+ time(data.end);
		item.querySelector('.text').textContent = data.text || '(no speech)';
		item.querySelector('.meta').textContent = '(' + data.attempts + ' attempt' + (data.attempts === 1 ? '' : 's')
			+ ', ' + (data.protocol || '?') + ')';
		// chunks finish in any order: keep the list in chunk order
		const next = [...$('progress').children].find((other) => Number(other.dataset.index) > data.index);
		$('progress').insertBefore(item, next || null);
		setState('running', $('progress').children.length + ' chunk(s) done...');
	}
	else if (name === 'result') {
		for (const segment of data.segments) {
			const line = document.createElement('p');
			line.className = 'segment';
			line.innerHTML = '<span class="time"></span><span class="text"></span>';
			line.querySelector('.time').textContent = time(segment.start) + ' - ' + time(segment.end);
			line.querySelector('.text').textContent = segment.text;
			$('transcript').append(line);
		}
		const upstream = data.upstream;
		$('summary').textContent = data.durationSeconds.toFixed(1) + ' s of audio in ' + data.chunks + ' chunk(s), '
			+ upstream.attempts + ' request(s) over ' + upstream.protocol + ', model ' + upstream.model + ', '
			+ (upstream.elapsedMs / 1000).toFixed(1) + ' s';
		setState('done', 'Done.');
	}
	else if (name === 'error') {
		showError(data.message);
	}
}

function time(seconds) {
	const minutes = Math.floor(seconds / 60);
	return minutes + ':' + (seconds - minutes * 60).toFixed(2).padStart(5, '0');
}

// ---- pool panel ----

const history = [];
const peak = { streams: 0, connections: 0 };

async function poll() {
	try {
		const pool = await (await fetch('/actuator/httppools/' + CLIENT)).json();
		showPool(pool.state, pool.settings.health);
		$('pool-retries').textContent = await retriedCalls();
		$('pool-error').textContent = '';
	}
	catch (failure) {
		$('pool-error').textContent = 'pool numbers unavailable: ' + failure.message;
	}
}

function showPool(state, health) {
	const connections = state.activeConnections + state.idleConnections;
	$('pool-protocol').textContent = state.protocol;
	$('pool-connections').textContent = connections + ' (' + state.activeConnections + ' / ' + state.idleConnections
		+ ') of ' + state.maxConnections;
	$('pool-streams').textContent = state.activeStreams + ' of ' + state.maxConcurrentStreams + ' per connection';
	$('pool-pending').textContent = state.pendingAcquires;
	const utilization = state.utilization;
	$('pool-utilization').textContent = (utilization * 100).toFixed(2) + ' % (degraded at '
		+ Math.round(health['degraded-threshold'] * 100) + ' %, down at ' + Math.round(health['unhealthy-threshold'] * 100)
		+ ' %)';
	const bar = $('pool-utilization-bar');
	bar.style.width = Math.max(utilization * 100, utilization > 0 ? 2 : 0) + '%';
	bar.style.background = utilization >= health['unhealthy-threshold'] ? 'var(--bad)'
		: utilization >= health['degraded-threshold'] ? 'var(--warn)' : 'var(--ok)';
	$('pool-degraded').style.left = health['degraded-threshold'] * 100 + '%';
	$('pool-unhealthy').style.left = health['unhealthy-threshold'] * 100 + '%';
	$('pool-breaker').textContent = state.circuitBreaker;
	$('pool-breaker').className = 'breaker-' + state.circuitBreaker;
	$('pool-requests').textContent = state.requests + ' (' + state.connectionsOpened + ' connection(s) opened)';
	peak.streams = Math.max(peak.streams, state.activeStreams);
	peak.connections = Math.max(peak.connections, connections);
	$('pool-peak-streams').textContent = peak.streams;
	$('pool-peak-connections').textContent = peak.connections;
	const now = Date.now();
	history.push({ at: now, streams: state.activeStreams, connections });
	while (history.length && history[0].at < now - WINDOW_MS) {
		history.shift();
	}
	drawChart(now);
}

/** Calls that needed at least one retry, from Resilience4j's counters. */
async function retriedCalls() {
	const scrape = await (await fetch('/actuator/prometheus')).text();
	let retried = 0;
	for (const line of scrape.split('\n')) {
		if (line.startsWith('resilience4j_retry_calls_total{') && line.includes('name="' + CLIENT + '"')
			&& /kind="(successful|failed)_with_retry"/.test(line)) {
			retried += Number(line.slice(line.lastIndexOf(' ') + 1));
		}
	}
	return retried;
}

function drawChart(now) {
	const scale = Math.max(2, ...history.map((sample) => Math.max(sample.streams, sample.connections)));
	const points = (key) => history.map((sample) => {
		const x = 300 - (now - sample.at) / WINDOW_MS * 300;
		const y = 98 - sample[key] / scale * 92;
		return x.toFixed(1) + ',' + y.toFixed(1);
	}).join(' ');
	$('chart-streams').setAttribute('points', points('streams'));
	$('chart-connections').setAttribute('points', points('connections'));
	$('chart-scale').textContent = '(top: ' + scale + ')';
}

setState('idle', 'Choose a WAV file, for example sample-app/samples/hello-http-pool.wav.');
poll();
setInterval(poll, 1000);
