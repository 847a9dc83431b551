"""The /ops page: plain HTML and a little vanilla JS, no build step, no outside assets."""

from __future__ import annotations

OPS_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>shop ops</title>
<style>
 body{font:14px system-ui,sans-serif;margin:1.5em;color:#222}
 h1{font-size:20px} h2{font-size:16px;margin-top:1.6em}
 table{border-collapse:collapse;width:100%} td,th{border:1px solid #ccc;padding:3px 6px;
 text-align:left;vertical-align:top} th{background:#f3f3f3}
 pre{margin:0;white-space:pre-wrap;font-size:12px} .bad{color:#b00020;font-weight:bold}
 .ok{color:#1b7f2a} #error{color:#b00020} a{cursor:pointer;color:#0645ad}
</style></head><body>
<h1>shop operations</h1>
<p><label>Admin token
<input id="token" type="password" size="60" placeholder="shop token --role admin"></label>
<button id="save">Use token</button> <span id="error"></span></p>
<h2>Projections</h2>
<table id="projections"><thead><tr><th>name</th><th>position</th><th>head</th>
<th>lag (events)</th><th>lag (s)</th><th>state</th></tr></thead><tbody></tbody></table>
<h2>Dead letters</h2>
<p id="dead-summary"></p>
<table id="dead-letters"><thead><tr><th>id</th><th>consumer</th><th>position</th>
<th>stream</th><th>topic</th><th>attempts</th><th>first failed</th><th>last failed</th>
<th>error</th></tr></thead><tbody></tbody></table>
<h2>Workers</h2>
<table id="workers"><thead><tr><th>name</th><th>pid</th><th>state</th><th>since</th>
<th>restarts</th><th>last exit</th><th>command</th></tr></thead><tbody></tbody></table>
<p id="no-workers" hidden>This process supervises no workers (split deployment).</p>
<h2>Leases</h2>
<table id="leases"><thead><tr><th>group</th><th>unit</th><th>holder</th><th>epoch</th>
<th>seconds left</th></tr></thead><tbody></tbody></table>
<h2>Checkouts</h2>
<p id="checkout-summary"></p>
<table id="stuck"><thead><tr><th>stuck order</th><th>customer</th><th>total</th>
<th>placed at</th><th>age (s)</th></tr></thead><tbody></tbody></table>
<p id="outcomes"></p>
<h2>Fulfilment</h2>
<p id="fulfilment-summary"></p>
<h2>Telling the world</h2>
<p id="integration-summary"></p>
<h2>Stream browser</h2>
<p><input id="stream-id" size="60" placeholder="order-&lt;uuid&gt;, product-&lt;sku&gt;, ...">
<button id="load">Show events</button></p>
<table id="stream"><thead><tr><th>version</th><th>type</th><th>timestamp</th><th>data</th>
<th>metadata</th></tr></thead><tbody></tbody></table>
<h2>Newest events</h2>
<table id="recent"><thead><tr><th>position</th><th>stream</th><th>version</th><th>type</th>
<th>timestamp</th></tr></thead><tbody></tbody></table>
<script>
"use strict";
const params = new URLSearchParams(location.hash.slice(1));
if (params.get("token")) sessionStorage.setItem("shopOpsToken", params.get("token"));
const $ = (id) => document.getElementById(id);
$("token").value = sessionStorage.getItem("shopOpsToken") || "";

async function api(path) {
  const headers = {Authorization: "Bearer " + (sessionStorage.getItem("shopOpsToken") || "")};
  const answer = await fetch(path, {headers});
  const body = await answer.json();
  if (!answer.ok) throw new Error((body.error && body.error.message) || answer.status);
  $("error").textContent = "";
  return body;
}

function cell(row, value, cls) {
  const td = row.insertCell();
  if (value instanceof Node) td.appendChild(value); else td.textContent = String(value);
  if (cls) td.className = cls;
}

function json(value) {
  const pre = document.createElement("pre");
  pre.textContent = JSON.stringify(value, null, 1);
  return pre;
}

function streamLink(id) {
  const link = document.createElement("a");
  link.textContent = id;
  link.onclick = () => showStream(id);
  return link;
}

function fill(id, rows, draw) {
  const body = $(id).tBodies[0];
  body.replaceChildren();
  rows.forEach((item) => draw(body.insertRow(), item));
}

async function showProjections() {
  const data = await api("/ops/api/projections");
  fill("projections", data.projections, (row, p) => {
    const values = [p.name, p.position, p.head, p.lag_events, p.lag_seconds.toFixed(2)];
    values.forEach((v) => cell(row, v));
    cell(row, p.within_slo ? "ok" : "behind SLO", p.within_slo ? "ok" : "bad");
  });
}

async function showDeadLetters() {
  const data = await api("/ops/dead-letters");
  $("dead-summary").textContent = data.total ? data.total + " parked: fix the cause, then " +
    "shop dead-letters retry ID (or skip ID)" : "No parked events.";
  $("dead-summary").className = data.total ? "bad" : "ok";
  fill("dead-letters", data.items, (row, d) => {
    [d.id, d.consumer, d.position].forEach((v) => cell(row, v));
    cell(row, streamLink(d.stream));
    [d.topic, d.attempts, d.first_failed_at, d.last_failed_at].forEach((v) => cell(row, v));
    cell(row, d.error);
  });
}

async function showWorkers() {
  const data = await api("/ops/api/workers");
  $("no-workers").hidden = data.workers.length > 0;
  fill("workers", data.workers, (row, w) => {
    cell(row, w.name);
    cell(row, w.pid === null ? "-" : w.pid);
    cell(row, w.alive ? "running" : "down, restarting", w.alive ? "ok" : "bad");
    [w.since, w.restarts, w.last_exit === null ? "-" : w.last_exit].forEach((v) => cell(row, v));
    cell(row, w.command + (w.url ? " (" + w.url + ")" : ""));
  });
}

async function showLeases() {
  const data = await api("/ops/api/leases");
  fill("leases", data.leases, (row, l) => {
    [l.group, l.unit].forEach((v) => cell(row, v));
    cell(row, l.holder === null ? "nobody" : l.holder, l.holder === null ? "bad" : "ok");
    [l.epoch, l.seconds_left].forEach((v) => cell(row, v));
  });
}

async function showCheckouts() {
  const data = await api("/ops/api/checkouts");
  $("checkout-summary").textContent = data.in_flight + " in flight, " + data.stuck_total +
    " stuck (pending over the " + data.payment_timeout_s + " s payment timeout)";
  fill("stuck", data.stuck, (row, o) => {
    cell(row, streamLink("order-" + o.order_id));
    [o.customer_id, o.total, o.placed_at, o.age_s].forEach((v) => cell(row, v));
  });
  $("outcomes").textContent = "Outcomes: " + (data.outcomes.map((o) =>
    o.outcome + (o.reason ? " (" + o.reason + ")" : "") + ": " + o.count).join(", ") || "none yet");
}

async function showFulfilment() {
  const data = await api("/ops/api/fulfilment");
  $("fulfilment-summary").textContent = data.shipments_on_hold + " shipments on hold " +
    "(label refused), " + data.returns_awaiting_approval + " returns awaiting approval";
  const waiting = data.shipments_on_hold + data.returns_awaiting_approval;
  $("fulfilment-summary").className = waiting ? "bad" : "ok";
}

async function showIntegration() {
  const d = await api("/ops/api/integration"), c = (m) => Object.entries(m).map(
    ([k, n]) => k + " " + n).join(", ") || "none";
  $("integration-summary").textContent = "outbox " + d.outbox_head + "; behind: " +
    c(d.lag) + "; email: " + c(d.notifications) + "; webhooks: " + c(d.webhook_deliveries);
  const dead = d.notifications.DEAD || d.webhook_deliveries.DEAD;
  $("integration-summary").className = dead ? "bad" : "ok";
}

async function showRecent() {
  const data = await api("/ops/api/events?limit=20");
  fill("recent", data.events, (row, e) => {
    cell(row, e.position);
    cell(row, streamLink(e.stream));
    [e.version, e.type, e.timestamp].forEach((v) => cell(row, v));
  });
}

async function showStream(id) {
  $("stream-id").value = id;
  try {
    const data = await api("/ops/api/streams/" + encodeURIComponent(id));
    fill("stream", data.events, (row, e) => {
      [e.version, e.type, e.timestamp].forEach((v) => cell(row, v));
      cell(row, json(e.data));
      cell(row, json(e.metadata));
    });
  } catch (error) { $("error").textContent = "stream: " + error.message; }
}

async function refresh() {
  const parts = [
    showProjections, showDeadLetters, showWorkers, showLeases, showCheckouts, showFulfilment,
    showIntegration, showRecent,
  ];
  try { await Promise.all(parts.map((show) => show())); }
  catch (error) { $("error").textContent = error.message; }
}

$("save").onclick = () => {
  sessionStorage.setItem("shopOpsToken", $("token").value.trim());
  refresh();
};
$("load").onclick = () => showStream($("stream-id").value.trim());
refresh();
if (params.get("stream")) showStream(params.get("stream"));
setInterval(refresh, 5000);
</script></body></html>
"""
