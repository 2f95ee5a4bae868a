// unspin popup: the page's verdict (asked of the tab's content script) and
// the service settings (chrome.storage.local).
const DEFAULTS = { server: "http://127.0.0.1:8080", apiKey: "" };
const $ = (id) => document.getElementById(id);

async function activeTab() {
  const [tab] = await chrome.tabs.query({ active: true, currentWindow: true });
  return tab;
}

function show(status) {
  const v = $("verdict"), d = $("details");
  v.className = "";
  if (!status) {
    v.textContent = "Not checked";
    d.textContent = "unspin runs on http and https pages.";
  } else if (status.state === "pending") {
    v.textContent = "Checking…";
    d.textContent = "";
  } else if (status.state === "error") {
    v.textContent = "Error";
    d.textContent = status.error;
  } else {
    const r = status.result;
    v.className = r.verdict;
    v.textContent = r.verdict === "spun" ? "Spun text" : "Natural text";
    d.textContent = "score " + Number(r.score).toFixed(2) + ", " + r.spans.length +
      " passage(s) marked, " + r.words + " words";
  }
}

async function refresh() {
  const tab = await activeTab();
  if (!tab) return show(null);
  chrome.tabs.sendMessage(tab.id, { type: "unspin-status" }, (status) => {
    show(chrome.runtime.lastError ? null : status);
    if (status && status.state === "pending") setTimeout(refresh, 500);
  });
}

async function load() {
  const s = await chrome.storage.local.get(DEFAULTS);
  $("server").value = s.server;
  $("apiKey").value = s.apiKey;
  refresh();
}

$("settings").addEventListener("submit", async (ev) => {
  ev.preventDefault();
  let url;
  try {
    url = new URL($("server").value);
  } catch (e) {
    $("note").textContent = "Not a URL.";
    return;
  }
  const server = url.origin;
  if (!["127.0.0.1", "localhost"].includes(url.hostname) || url.protocol !== "http:") {
    // Other hosts need their permission, asked for on this click.
    const granted = await chrome.permissions.request({ origins: [server + "/*"] });
    if (!granted) {
      $("note").textContent = "Permission to reach " + server + " was not given.";
      return;
    }
  }
  await chrome.storage.local.set({ server, apiKey: $("apiKey").value.trim() });
  $("note").textContent = "Saved.";
});

$("recheck").addEventListener("click", async () => {
  const tab = await activeTab();
  if (!tab) return;
  chrome.tabs.sendMessage(tab.id, { type: "unspin-recheck" }, () => {
    void chrome.runtime.lastError;
    setTimeout(refresh, 300);
  });
});

load();
