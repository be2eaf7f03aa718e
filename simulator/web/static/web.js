// CounterTalk web: the page's own script. Everything works without it (forms post, pages reload).
//
// With it, the sign-in form and a turn's forms (an option, typed words, "Did you mean…?", answer
// again from a turn) are sent to the JSON API (docs/web.md) instead, and the turn is redrawn from
// its answer without reloading the page: the customer's new line goes into the ARIA live region
// and gets the focus, so a screen reader reads it first and the next Tab reaches the options and
// then the reply box. The end of a conversation loads its debrief page. Text from the server is
// only ever inserted as text (textContent), never as markup. If the API cannot be reached the
// form is sent the ordinary way. Number keys 1-9 pick an option; a form is sent once.
(function () {
  "use strict";

  // -- small helpers ------------------------------------------------------------------------
  function el(tag, attrs, children) {
    var node = document.createElement(tag);
    var key;
    for (key in attrs || {}) {
      if (Object.prototype.hasOwnProperty.call(attrs, key) && attrs[key] !== null && attrs[key] !== undefined) {
        node.setAttribute(key, String(attrs[key]));
      }
    }
    (children || []).forEach(function (child) {
      if (child === null || child === undefined || child === false) return;
      node.appendChild(typeof child === "string" ? document.createTextNode(child) : child);
    });
    return node;
  }
  function clear(node) { while (node && node.firstChild) node.removeChild(node.firstChild); return node; }
  function byId(id) { return document.getElementById(id); }
  function quoted(text) { return "\u201c" + text + "\u201d"; }

  // The page's words in the learner's language: the server renders the translations into a JSON
  // block (data, never run); "{name}" marks a value put into a sentence. English when absent.
  var WORDS = (function () {
    var node = document.getElementById("web-words");
    try { return node ? JSON.parse(node.textContent) : {}; } catch (e) { return {}; }
  })();
  function t(text, values) {
    var out = Object.prototype.hasOwnProperty.call(WORDS, text) ? WORDS[text] : text;
    Object.keys(values || {}).forEach(function (k) { out = out.split("{" + k + "}").join(String(values[k])); });
    return out;
  }

  function focusOn(target) {
    if (!target) return;
    if (!target.hasAttribute("tabindex")) target.setAttribute("tabindex", "-1");
    target.focus({ preventScroll: false });
  }

  // POST a JSON body to the API; resolves {status, data} (data: the parsed answer or null).
  function api(path, body) {
    return fetch(path, {
      method: "POST",
      credentials: "same-origin",
      headers: { "Content-Type": "application/json", "Accept": "application/json" },
      body: JSON.stringify(body)
    }).then(function (response) {
      return response.json().then(
        function (data) { return { status: response.status, data: data }; },
        function () { return { status: response.status, data: null }; }
      );
    });
  }

  // Send the form the ordinary way after all (the API could not be used).
  function sendNatively(form, submitter) {
    form.setAttribute("data-native", "1");
    if (form.requestSubmit) form.requestSubmit(submitter || undefined);
    else form.submit();
  }

  // Say what went wrong just before ``before`` (in place of what was said last), and focus it.
  function showProblem(before, message) {
    var old = document.querySelectorAll(".api-error, #signin-error");
    for (var i = 0; i < old.length; i++) old[i].parentNode.removeChild(old[i]);
    var p = el("p", { "class": "error api-error", id: "problem", role: "alert", tabindex: "-1" }, [message]);
    before.parentNode.insertBefore(p, before);
    focusOn(p);
  }

  // -- a turn, drawn from the API's JSON (the same structure as turn.html.j2) ---------------
  var state = null; // {ref, csrf}

  function hidden(name, value) { return el("input", { type: "hidden", name: name, value: value }); }

  function metaText(turn) {
    var where = turn.kind === "activity"
      ? t("Question {number} of {total}", { number: turn.number, total: turn.total })
      : t("Turn {number}", { number: turn.number });
    var how = { assess: t("Assessment: feedback comes at the end"), practice: t("Practice"), activity: t("Activity") }[turn.mode] || turn.mode;
    return where + " \u00b7 " + how;
  }

  function feedbackSection(turn) {
    if (!turn.last) return null;
    var last = turn.last;
    var said = turn.kind === "activity"
      ? t("You answered: {text}", { text: quoted(last.typed || last.text) })
      : t("You said: {text}", { text: quoted(last.typed || last.text) });
    if (last.typed) said += " " + t("(understood as: {text})", { text: quoted(last.text) });
    return el("section", { "class": "feedback", "aria-labelledby": "fb" }, [
      el("h2", { id: "fb" }, [t("Your last answer")]),
      el("p", {}, [said]),
      turn.correct === undefined || turn.correct === null ? null
        : el("p", { "class": turn.correct ? "good" : "bad" }, [el("strong", {}, [turn.correct ? t("Right.") : t("Not quite.")])]),
      turn.feedback ? el("p", {}, [turn.feedback]) : null,
      last.came_across ? el("p", {}, [t("That came across as {how}.", { how: t(last.came_across) })]) : null,
      turn.diverted ? el("p", {}, [t("The conversation took a turn.")]) : null
    ]);
  }

  function moodLine(turn) {
    if (turn.kind !== "conversation" || turn.mood === undefined || turn.mood === null) return null;
    var words = t("{mood} out of 100", { mood: turn.mood }) + (turn.mood_change ? ", " + turn.mood_change : "");
    return el("p", { "class": "mood", id: "mood" }, [
      t("{customer}\u2019s mood:", { customer: turn.customer }) + " ",
      el("meter", { min: 0, max: 100, low: 35, high: 65, optimum: 100, value: turn.mood, "aria-labelledby": "mood" },
        [t("{mood} out of 100", { mood: turn.mood })]),
      " ",
      el("span", {}, [words])
    ]);
  }

  function replyAction() { return "/attempts/" + encodeURIComponent(state.ref) + "/reply"; }

  function optionButton(option, label) {
    return el("button", { type: "submit", name: "option", value: option.number }, [
      el("span", { "class": "num" }, [String(option.key || option.number)]), " " + label
    ]);
  }

  function answerArea(turn, outcome, said) {
    var parts = [];
    if (outcome.status === "confirm" && turn.suggestion) {
      var buttons = turn.suggestion.options.map(function (o) {
        return el("button", { type: "submit", name: "option", value: o.number }, [
          el("span", { "class": "num" }, [String(o.number)]), " " + t("Yes: {text}", { text: quoted(o.text) })
        ]);
      });
      buttons.push(el("button", { type: "submit", name: "option", value: "none", "class": "secondary" }, [t("No, none of these")]));
      parts.push(el("section", { "class": "suggest", "aria-labelledby": "dym" }, [
        el("h2", { id: "dym" }, [t("Did you mean\u2026?")]),
        el("p", {}, [t("You typed: {text}", { text: quoted(turn.suggestion.said) })]),
        el("form", { method: "post", action: replyAction(), "class": "options" },
          [hidden("csrf", state.csrf), hidden("turn", turn.number), hidden("text", turn.suggestion.said), hidden("confirm", "yes")].concat(buttons))
      ]));
      return parts;
    }
    var fieldset;
    if (turn.multi) {
      fieldset = el("fieldset", {}, [el("legend", {}, [t("Tick every one that applies, then send")])]
        .concat(turn.options.map(function (o) {
          return el("div", { "class": "check" }, [
            el("input", { type: "checkbox", id: "opt-" + o.number, name: "options", value: o.number }),
            el("label", { "for": "opt-" + o.number }, [el("span", { "class": "num" }, [String(o.key || o.number)]), " " + o.text])
          ]);
        }))
        .concat([el("button", { type: "submit", "class": "primary" }, [t("Send my answer")])]));
    } else {
      fieldset = el("fieldset", {}, [el("legend", {}, [turn.kind === "activity" ? t("Choose your answer") : t("Choose your reply")])]
        .concat(turn.options.map(function (o) { return optionButton(o, o.text); })));
    }
    parts.push(el("form", { method: "post", action: replyAction(), "class": "options", id: "options" },
      [hidden("csrf", state.csrf), hidden("turn", turn.number), fieldset]));
    if (turn.kind === "conversation") {
      parts.push(el("form", { method: "post", action: replyAction(), "class": "stack typed" }, [
        hidden("csrf", state.csrf), hidden("turn", turn.number),
        el("label", { "for": "text" }, [t("Or type your reply in your own words")]),
        el("textarea", { id: "text", name: "text", rows: 2, maxlength: 500, required: "required" }, []),
        el("button", { type: "submit" }, [t("Send")])
      ]));
    }
    return parts;
  }

  function againArea(turn) {
    if (turn.mode !== "practice" || turn.kind !== "conversation" || turn.number <= 1) return null;
    var select = el("select", { id: "retry-turn", name: "turn" }, []);
    for (var n = 1; n < turn.number; n++) {
      var option = el("option", { value: n }, [String(n)]);
      if (n === turn.number - 1) option.selected = true;
      select.appendChild(option);
    }
    return el("details", { "class": "retry" }, [
      el("summary", {}, [t("Answer again from an earlier turn")]),
      el("form", { method: "post", action: "/attempts/" + encodeURIComponent(state.ref) + "/retry", "class": "row" }, [
        hidden("csrf", state.csrf),
        el("label", { "for": "retry-turn" }, [t("Turn")]),
        select,
        el("button", { type: "submit", "class": "secondary" }, [t("Answer again from here")])
      ])
    ]);
  }

  function drawTurn(outcome, said) {
    var turn = outcome.turn;
    state.ref = outcome.attempt;
    var path = "/attempts/" + encodeURIComponent(outcome.attempt);
    if (window.location.pathname !== path) window.history.replaceState(null, "", path);
    document.title = turn.title + ", turn " + turn.number + " \u2013 CounterTalk";
    byId("turn").setAttribute("data-ref", outcome.attempt);
    byId("turn-meta").textContent = metaText(turn);
    var intro = byId("intro");
    if (intro && (turn.number > 1 || turn.last)) intro.parentNode.removeChild(intro);
    clear(byId("problem-area"));
    if (turn.store_problem) byId("problem-area").appendChild(el("p", { "class": "error", role: "alert" }, [turn.store_problem]));
    var feedback = clear(byId("feedback-area"));
    if (turn.mode !== "assess") {
      var section = feedbackSection(turn);
      if (section) feedback.appendChild(section);
    }
    var mood = clear(byId("mood-area"));
    var moodNode = turn.mode !== "assess" ? moodLine(turn) : null;
    if (moodNode) mood.appendChild(moodNode);
    byId("said").textContent = turn.kind === "activity" ? t("Question {number}", { number: turn.number }) : t("{customer} says", { customer: turn.customer });
    // the live region stays in place; only what it says changes (so it is announced)
    var line = clear(byId("line"));
    if (outcome.status === "not_understood" && turn.reaction) {
      line.appendChild(el("p", {}, [el("strong", {}, [t("You said:")]), " " + quoted(said || "")]));
      line.appendChild(el("p", {}, [turn.reaction]));
      line.appendChild(el("p", { "class": "meta" }, [t("That wasn\u2019t understood as any of the replies; try other words or choose one.")]));
    } else {
      line.appendChild(el("p", {}, [turn.line]));
    }
    if (turn.note) line.appendChild(el("p", { "class": "note" }, [turn.note]));
    var answer = clear(byId("answer"));
    answerArea(turn, outcome, said).forEach(function (node) { answer.appendChild(node); });
    var again = clear(byId("again"));
    var retry = againArea(turn);
    if (retry) again.appendChild(retry);
    focusOn(line);
  }

  // The body the API wants for a turn's form, and the button that sent it.
  function replyBody(form, submitter) {
    var data = new FormData(form);
    var body = {};
    var turn = data.get("turn");
    if (turn) body.turn = parseInt(turn, 10);
    var option = submitter && submitter.name === "option" ? submitter.value : null;
    if (data.get("confirm") === "yes") {
      body.text = String(data.get("text") || "");
      body.confirm = option !== null && option !== "none";
      if (body.confirm) body.option = parseInt(option, 10);
    } else if (option !== null) {
      body.option = parseInt(option, 10);
    } else if (data.has("text")) {
      body.text = String(data.get("text"));
    } else {
      body.options = data.getAll("options").map(function (v) { return parseInt(v, 10); });
    }
    return body;
  }

  function onTurnSubmit(form, submitter) {
    var retry = /\/retry$/.test(form.getAttribute("action") || "");
    var base = "/api/attempts/" + encodeURIComponent(state.ref);
    var body = retry ? { turn: parseInt(new FormData(form).get("turn"), 10) } : replyBody(form, submitter);
    var said = typeof body.text === "string" ? body.text : "";
    form.setAttribute("aria-busy", "true");
    return api(base + (retry ? "/retry" : "/replies"), body).then(function (answer) {
      var data = answer.data;
      if (answer.status === 200 && data && data.turn) {
        if (data.ended) {
          window.location.assign("/attempts/" + encodeURIComponent(data.attempt) + "/debrief");
          return;
        }
        if (retry) data.status = "taken";
        drawTurn(data, said);
        return;
      }
      form.removeAttribute("aria-busy");
      form.removeAttribute("data-sent");
      if (answer.status === 409) { // the attempt moved on elsewhere: show where it is now
        window.location.assign("/attempts/" + encodeURIComponent(state.ref));
        return;
      }
      if (data && data.error && answer.status < 500) { showProblem(byId("answer"), data.error); return; }
      sendNatively(form, submitter);
    }, function () { sendNatively(form, submitter); });
  }

  // -- signing in -------------------------------------------------------------------------------
  function onSignIn(form, submitter) {
    var data = new FormData(form);
    var body = { name: String(data.get("name") || "") };
    if (data.has("code")) body.code = String(data.get("code") || "");
    var reclaim = String(data.get("reclaim") || "").trim();
    if (reclaim) body.reclaim = reclaim;
    form.setAttribute("aria-busy", "true");
    return api("/api/signin", body).then(function (answer) {
      if (answer.status === 200) { window.location.assign("/"); return; }
      form.removeAttribute("aria-busy");
      form.removeAttribute("data-sent");
      if (answer.data && answer.data.error && answer.status < 500) {
        if (answer.status === 409) { // the name is taken: the one-time code is what comes next
          var details = form.querySelector("details.reclaim");
          if (details) details.open = true;
        }
        showProblem(form, answer.data.error);
        var name = byId("name");
        if (name) {
          name.setAttribute("aria-invalid", "true");
          name.setAttribute("aria-describedby", "problem");
        }
        return;
      }
      sendNatively(form, submitter);
    }, function () { sendNatively(form, submitter); });
  }

  // -- wiring -----------------------------------------------------------------------------------
  function ready() {
    var turnBox = byId("turn");
    var csrf = document.querySelector('input[name="csrf"]');
    if (turnBox) state = { ref: turnBox.getAttribute("data-ref"), csrf: csrf ? csrf.value : "" };
    var target = byId("line") || document.querySelector("main h1");
    if (target && document.querySelector("form.options, .debrief, #line")) focusOn(target);

    var canFetch = typeof window.fetch === "function" && typeof window.FormData === "function";
    document.addEventListener("submit", function (event) {
      var form = event.target;
      if (!(form instanceof HTMLFormElement)) return;
      if (form.getAttribute("data-native") === "1") return; // the API could not be used
      if (form.getAttribute("data-sent") === "1") { event.preventDefault(); return; }
      var action = form.getAttribute("action") || "";
      var viaApi = canFetch && (
        (state && /^\/attempts\/[^/]+\/(reply|retry)$/.test(action)) || action === "/signin");
      form.setAttribute("data-sent", "1");
      if (!viaApi) { form.setAttribute("aria-busy", "true"); return; }
      event.preventDefault();
      if (action === "/signin") onSignIn(form, event.submitter);
      else onTurnSubmit(form, event.submitter);
    });

    // Number keys pick an option (1-9) when the focus is not in the reply box.
    document.addEventListener("keydown", function (event) {
      if (event.altKey || event.ctrlKey || event.metaKey) return;
      var active = document.activeElement;
      if (active && (active.tagName === "TEXTAREA" || active.tagName === "INPUT" || active.tagName === "SELECT")) return;
      if (!/^[1-9]$/.test(event.key)) return;
      var button = document.querySelector('#options button[name="option"][value="' + event.key + '"]');
      if (button) { event.preventDefault(); button.click(); }
    });
  }
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", ready);
  else ready();
})();
