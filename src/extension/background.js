// unspin: sends page text to the service (POST /v1/check) for the content
// script.  The request is made here, from the extension's origin
// (chrome-extension://... or moz-extension://...), which the service allows
// by default; a content script's own fetch would carry the page's origin.
const DEFAULTS = { server: "http://127.0.0.1:8080", apiKey: "" };

async function settings() {
  const s = await chrome.storage.local.get(DEFAULTS);
  return { server: String(s.server || DEFAULTS.server).replace(/\/+$/, ""), apiKey: s.apiKey || "" };
}

async function check(text) {
  const { server, apiKey } = await settings();
  const headers = { "Content-Type": "application/json" };
  if (apiKey) headers.Authorization = "Bearer " + apiKey;
  let resp;
  try {
    resp = await fetch(server + "/v1/check", {
      method: "POST",
      headers,
      body: JSON.stringify({ text }),
    });
  } catch (e) {
    return { ok: false, error: "cannot reach " + server + " (" + e.message + ")" };
  }
  let body = null;
  try {
    body = await resp.json();
  } catch (e) {
    body = null;
  }
  if (!resp.ok) {
    const why = body && body.error ? body.error : "HTTP " + resp.status;
    return { ok: false, error: server + ": " + why };
  }
  return { ok: true, result: body };
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (msg && msg.type === "unspin-check" && typeof msg.text === "string") {
    check(msg.text).then(sendResponse);
    return true; // answered asynchronously
  }
  return false;
});
