// unspin content script: collects the page's visible text from its text
// nodes (remembering where each node's text starts, in UTF-16 code units),
// has the background script send it to the service, and wraps each span the
// service flags in <mark class="unspin-mark"> with the likely original as
// its tooltip.  The service's start16/end16 are JavaScript string indexes
// into the text sent, so they map straight back to (node, offset).
(() => {
  "use strict";
  if (window.__unspinLoaded) return;
  window.__unspinLoaded = true;

  const MAX_CHARS = 400000; // the service's default body limit is 2 MiB
  const SKIP = new Set(["SCRIPT", "STYLE", "NOSCRIPT", "TEMPLATE", "TEXTAREA", "INPUT",
    "SELECT", "OPTION", "BUTTON", "CODE", "PRE", "SVG", "CANVAS", "IFRAME", "OBJECT", "HEAD"]);
  const INLINE = /^inline/;

  let status = { state: "pending" };

  function setStatus(s) {
    status = s;
    const root = document.documentElement;
    root.dataset.unspinState = s.state;
    if (s.state === "done") root.dataset.unspinVerdict = s.result.verdict;
  }

  function visible(el, cache) {
    if (cache.has(el)) return cache.get(el);
    let v;
    if (SKIP.has(el.tagName.toUpperCase()) || el.isContentEditable) v = false;
    else if (el.classList && el.classList.contains("unspin-mark")) v = false;
    else if (typeof el.checkVisibility === "function")
      v = el.checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });
    else v = el.getClientRects().length > 0;
    cache.set(el, v);
    return v;
  }

  // The nearest ancestor that is not laid out inline: text nodes under
  // different blocks are separated by a blank line in the text sent.
  function blockOf(el, cache) {
    let e = el;
    while (e && e !== document.body) {
      if (cache.has(e)) return cache.get(e);
      if (!INLINE.test(getComputedStyle(e).display)) break;
      e = e.parentElement;
    }
    cache.set(el, e);
    return e;
  }

  // Returns { text, map: [{ node, start, end }] } with offsets into text.
  function collect() {
    const vis = new Map(), blocks = new Map();
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_ELEMENT |
      NodeFilter.SHOW_TEXT, {
      acceptNode(n) {
        if (n.nodeType === Node.ELEMENT_NODE)
          return visible(n, vis) ? NodeFilter.FILTER_SKIP : NodeFilter.FILTER_REJECT;
        return /\S/.test(n.data) ? NodeFilter.FILTER_ACCEPT : NodeFilter.FILTER_SKIP;
      },
    });
    const parts = [], map = [];
    let len = 0, lastBlock = null;
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const block = blockOf(n.parentElement, blocks);
      if (map.length && block !== lastBlock) {
        parts.push("\n\n");
        len += 2;
      }
      lastBlock = block;
      if (len + n.data.length > MAX_CHARS) break;
      map.push({ node: n, start: len, end: len + n.data.length });
      parts.push(n.data);
      len += n.data.length;
    }
    return { text: parts.join(""), map };
  }

  function tooltip(span) {
    let t = "likely original: \u201c" + span.original + "\u201d (" +
      Math.round(span.confidence * 100) + "%)";
    for (const a of span.alternatives || [])
      t += "\nor: \u201c" + a.original + "\u201d (" + Math.round(a.confidence * 100) + "%)";
    return t;
  }

  function wrap(node, from, to, span) {
    let mid = from > 0 ? node.splitText(from) : node;
    if (to - from < mid.data.length) mid.splitText(to - from);
    const mark = document.createElement("mark");
    mark.className = "unspin-mark";
    mark.title = tooltip(span);
    mark.dataset.unspinOriginal = span.original;
    mid.parentNode.replaceChild(mark, mid);
    mark.appendChild(mid);
  }

  // Spans from the last to the first: splitting a node keeps its earlier
  // part in the same node object, so the map stays right for earlier spans.
  function highlight(map, spans) {
    const sorted = spans.slice().sort((a, b) => b.start16 - a.start16);
    let marked = 0;
    for (const span of sorted) {
      for (let i = map.length - 1; i >= 0; i--) {
        const m = map[i];
        if (m.end <= span.start16 || m.start >= span.end16) continue;
        const from = Math.max(span.start16, m.start) - m.start;
        const to = Math.min(span.end16, m.end) - m.start;
        if (!/\S/.test(m.node.data.slice(from, to))) continue;
        wrap(m.node, from, to, span);
        marked++;
      }
    }
    return marked;
  }

  function unhighlight() {
    for (const mark of document.querySelectorAll("mark.unspin-mark")) {
      const parent = mark.parentNode;
      while (mark.firstChild) parent.insertBefore(mark.firstChild, mark);
      parent.removeChild(mark);
      parent.normalize();
    }
  }

  function run() {
    unhighlight();
    const { text, map } = collect();
    if (!/\S/.test(text)) {
      setStatus({ state: "done", result: { verdict: "natural", score: 0, words: 0, spans: [] } });
      return;
    }
    setStatus({ state: "pending" });
    chrome.runtime.sendMessage({ type: "unspin-check", text }, (resp) => {
      if (chrome.runtime.lastError || !resp) {
        setStatus({ state: "error", error: chrome.runtime.lastError
          ? chrome.runtime.lastError.message : "no answer from the extension" });
        return;
      }
      if (!resp.ok) {
        setStatus({ state: "error", error: resp.error });
        return;
      }
      const marked = highlight(map, resp.result.spans || []);
      setStatus({ state: "done", result: resp.result, marked });
    });
  }

  chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
    if (!msg) return false;
    if (msg.type === "unspin-status") sendResponse(status);
    else if (msg.type === "unspin-recheck") {
      run();
      sendResponse({ state: "pending" });
    }
    return false;
  });

  run();
})();
