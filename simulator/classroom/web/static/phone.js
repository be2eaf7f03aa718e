// CounterTalk class vote. Every piece of scenario text goes in through textContent, never as
// HTML. The websocket brings every change; when it cannot stay up, the page polls /api/state.
"use strict";
(function () {
  const $ = (id) => document.getElementById(id);
  const POLL_MS = 2000;
  const RETRY_WS_MS = 5000;
  let code = "";
  let device = "";
  let team = null;
  let state = null;
  let ws = null;
  let pollTimer = null;
  let wsTimer = null;
  let pingTimer = null;
  let voting = false;

  function store(kind) {
    try { return window[kind]; } catch (e) { return null; }
  }
  function remember(key, value) {
    const s = store("localStorage");
    if (!s) return;
    try { if (value === null) s.removeItem(key); else s.setItem(key, value); } catch (e) {}
  }
  function recall(key) {
    const s = store("localStorage");
    try { return s ? s.getItem(key) : null; } catch (e) { return null; }
  }

  function newDevice() {
    const bytes = new Uint8Array(16);
    crypto.getRandomValues(bytes);
    return Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  }

  // The page's words in the phone's language: the server puts the translations beside the page
  // (a JSON block, never executed); "{name}" marks a value put into a sentence.
  const WORDS = (() => {
    const el = document.getElementById("phone-words");
    try { return el ? JSON.parse(el.textContent) : {}; } catch (e) { return {}; }
  })();
  function t(text, values) {
    let out = Object.prototype.hasOwnProperty.call(WORDS, text) ? WORDS[text] : text;
    Object.keys(values || {}).forEach((k) => { out = out.split("{" + k + "}").join(String(values[k])); });
    return out;
  }

  function say(text, kind) {
    const el = $("status");
    el.textContent = text;
    el.className = "status" + (kind ? " " + kind : "");
  }

  function connection(text) {
    const el = $("connection");
    if (el.textContent !== text) el.textContent = text;  // no repeated announcements
  }

  async function getState() {
    const url = "/api/state?code=" + encodeURIComponent(code) +
      "&device=" + encodeURIComponent(device);
    const r = await fetch(url, { cache: "no-store" });
    const body = await r.json().catch(() => ({}));
    if (!r.ok) { const e = new Error(body.error || t("The class could not be reached.")); e.status = r.status; throw e; }
    return body;
  }

  // -- joining ---------------------------------------------------------------------------------
  async function join(typed) {
    code = typed.trim().toUpperCase();
    say(t("Joining…"));
    try {
      const s = await getState();
      remember("ct-code", code);
      say(t("Joined. Watch the projector and vote here."), "ok");
      $("join").hidden = true;
      if (s.teams && s.teams.length && team === null && recall("ct-team-asked") !== code) {
        showTeams(s.teams);
      }
      render(s);
      connect();
    } catch (e) {
      remember("ct-code", null);
      $("join").hidden = false;
      say(e.message, "warn");
      $("code").focus();
    }
  }

  function showTeams(teams) {
    const box = $("team-choices");
    box.textContent = "";
    const names = teams.concat([t("No team")]);
    names.forEach((name, i) => {
      const row = document.createElement("div");
      row.className = "team-choice";
      const input = document.createElement("input");
      input.type = "radio"; input.name = "team"; input.id = "team-" + i;
      input.value = i < teams.length ? name : "";
      if ((team || "") === input.value) input.checked = true;
      const label = document.createElement("label");
      label.htmlFor = input.id; label.textContent = name;
      row.append(input, label);
      box.append(row);
    });
    $("team").hidden = false;
    $("vote").hidden = true;
    $("team-done").focus();
  }

  $("team-done").addEventListener("click", () => {
    const picked = document.querySelector("input[name=team]:checked");
    team = picked && picked.value ? picked.value : null;
    remember("ct-team", team);
    remember("ct-team-asked", code);
    $("team").hidden = true;
    if (state) render(state);
    say(team ? t("You are in team {team}.", { team: team }) : t("You are not in a team."), "ok");
  });

  // -- showing the class -----------------------------------------------------------------------
  function render(s) {
    const newRound = !state || state.round !== s.round;
    state = s;
    if (!$("team").hidden) return;
    $("vote").hidden = false;
    $("vote-title").textContent = s.title ? s.title : t("Decision");
    $("customer").textContent = s.customer ? t("{customer} says:", { customer: s.customer }) : "";
    $("line").textContent = s.line || "";
    $("line").parentElement.hidden = !s.line;
    // The briefing the projector shows with the line ("Policy: …"): voters need it too.
    $("note").textContent = s.note || "";
    $("note").hidden = !s.note;
    // The projector's countdown, while voting is open.
    const timed = s.phase === "vote" && typeof s.time_left === "number";
    let clock = "";
    if (timed && s.time_waiting) clock = t("The timer starts when the first phone joins.");
    else if (timed) {
      const m = Math.floor(s.time_left / 60), sec = s.time_left % 60;
      clock = t("Time left to vote: {time}", { time: m + ":" + (sec < 10 ? "0" : "") + sec });
    }
    $("timer").textContent = clock;
    $("timer").hidden = !clock;
    const myTurn = !s.team || !team || team === s.team;
    $("whose").textContent = s.team ? (myTurn && team ? t("Your team's turn: ") : "") + t("{team} decides", { team: s.team }) : "";
    let phase = "";
    if (s.phase === "vote") phase = myTurn ? t("Voting is open.") : t("It's {team}'s turn: discuss, then watch the projector.", { team: s.team });
    else if (s.phase === "closed") phase = s.reason ? t("Voting is closed: {reason}", { reason: t(s.reason) }) : t("Voting is closed.");
    else if (s.phase === "reveal") phase = t("The room chose option {option}. Watch the projector for what happens.", { option: s.chosen });
    else if (s.phase === "ended") phase = t("The conversation has ended. Thank you for voting!");
    else phase = t("Waiting for the tutor to start.");
    $("phase").textContent = phase;
    $("team-line").textContent = team ? t("Your team: {team}", { team: team }) : "";
    const list = $("option-list");
    const focused = document.activeElement && document.activeElement.dataset
      ? document.activeElement.dataset.number : undefined;
    list.textContent = "";
    $("options").hidden = !s.options || !s.options.length;
    (s.options || []).forEach((o) => {
      const li = document.createElement("li");
      const b = document.createElement("button");
      b.type = "button";
      b.className = "option";
      const num = document.createElement("span");
      num.className = "num"; num.textContent = String(o.number);
      num.setAttribute("aria-hidden", "true");
      const words = document.createElement("span");
      words.textContent = o.text;
      b.append(num, words);
      b.setAttribute("aria-label", t("Option {number}: {text}", { number: o.number, text: o.text }));
      b.setAttribute("aria-pressed", s.your_vote === o.number ? "true" : "false");
      b.disabled = s.phase !== "vote" || !myTurn || voting;
      if (s.phase === "reveal" && s.chosen === o.number) b.classList.add("won");
      b.dataset.number = String(o.number);
      b.addEventListener("click", () => vote(o.number));
      li.append(b);
      list.append(li);
      if (!newRound && focused === String(o.number)) b.focus();  // keep a keyboard user's place
    });
    if (newRound && s.phase === "vote") {
      say(s.your_vote ? t("Your vote for {option} is counted.", { option: s.your_vote }) : t("New decision: vote now."));
    } else if (s.phase === "closed" && !voting) {
      say(phase, "warn");
    }
  }

  // -- voting ----------------------------------------------------------------------------------
  async function vote(option) {
    if (!state || voting) return;
    voting = true;
    const round = state.round;
    let retried = false;
    for (let attempt = 0; attempt < 4; attempt++) {
      try {
        const body = { code: code, device: device, round: round, option: option };
        if (team) body.team = team;
        const r = await fetch("/api/vote", {
          method: "POST", headers: { "Content-Type": "application/json" },
          body: JSON.stringify(body), cache: "no-store",
        });
        const a = await r.json().catch(() => ({}));
        if (r.status === 429) { await sleep(1000 * (Number(r.headers.get("Retry-After")) || 1)); continue; }
        voting = false;
        answer(a, retried);
        return;
      } catch (e) {
        retried = true;
        say(t("No connection: trying again…"), "warn");
        await sleep(700 * (attempt + 1));
      }
    }
    voting = false;
    say(t("Your vote could not be sent. Check the Wi-Fi and tap again."), "warn");
    if (state) render(state);
  }

  function answer(a, retried) {
    const s = a.status;
    if (s === "accepted" || (s === "duplicate" && retried)) say(t("Vote counted: option {option}.", { option: a.option }), "ok");
    else if (s === "changed") say(t("You already voted — changed to {option}.", { option: a.option }), "ok");
    else if (s === "duplicate") say(t("You already voted for {option}.", { option: a.option }), "ok");
    else if (s === "closed") say(a.message || t("Voting closed."), "warn");
    else say(a.message || a.error || t("That vote was not counted."), "warn");
    if (state && a.round === state.round && a.option !== undefined) state.your_vote = a.option;
    if (state && a.round !== state.round) refresh();
    else if (state) render(state);
  }

  function sleep(ms) { return new Promise((ok) => setTimeout(ok, ms)); }

  // -- keeping up: websocket, else polling -----------------------------------------------------
  async function refresh() {
    try { render(await getState()); connection(ws ? t("Live") : t("Connected (checking every 2 s)")); }
    catch (e) {
      connection(t("Reconnecting…"));
      if (e.status === 403) { remember("ct-code", null); location.reload(); }
    }
  }

  function startPolling() {
    if (pollTimer) return;
    pollTimer = setInterval(refresh, POLL_MS);
    refresh();
  }
  function stopPolling() { if (pollTimer) { clearInterval(pollTimer); pollTimer = null; } }

  function connect() {
    if (ws || !("WebSocket" in window)) { if (!ws) startPolling(); return; }
    const url = "ws://" + location.host + "/api/ws?code=" + encodeURIComponent(code) +
      "&device=" + encodeURIComponent(device);
    let sock;
    try { sock = new WebSocket(url); } catch (e) { startPolling(); return; }
    ws = sock;
    sock.onopen = () => {
      stopPolling();
      connection(t("Live"));
      pingTimer = setInterval(() => { try { sock.send("ping"); } catch (e) {} }, 10000);
    };
    sock.onmessage = (ev) => {
      try { render(JSON.parse(ev.data)); } catch (e) {}
    };
    sock.onclose = () => {
      if (pingTimer) { clearInterval(pingTimer); pingTimer = null; }
      ws = null;
      connection(t("Reconnecting…"));
      startPolling();
      if (!wsTimer) wsTimer = setTimeout(() => { wsTimer = null; connect(); }, RETRY_WS_MS);
    };
  }

  // -- start -----------------------------------------------------------------------------------
  device = recall("ct-device") || "";
  if (!/^[a-f0-9]{32}$/.test(device)) { device = newDevice(); remember("ct-device", device); }
  team = recall("ct-team") || null;
  $("join-form").addEventListener("submit", (ev) => {
    ev.preventDefault();
    join($("code").value);
  });
  const fromLink = new URLSearchParams(location.search).get("code");
  const saved = fromLink || recall("ct-code");
  if (saved) { $("code").value = saved; join(saved); }
  else { $("code").focus(); }
})();
