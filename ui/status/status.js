/* Một Cửa: the citizen's status page. The URL's fragment is "<name>.<key>": the name of the
   sealed status in this folder, and the dossier's AES-256-GCM key (base64url). The page
   fetches the blob (a version byte, a 12-byte nonce, then ciphertext and tag), decrypts it
   with WebCrypto and shows what the desk sealed, in Vietnamese or English. Written for old
   phones: no modules, no arrow functions, XMLHttpRequest rather than fetch. */
(function () {
  "use strict";

  var TEXT = {
    vi: {
      title: "Tra cứu hồ sơ",
      other: "English",
      loading: "Đang tải…",
      applicant: "Người nộp",
      procedure: "Thủ tục",
      appointment: "Hẹn trả kết quả",
      collect: "Nơi nhận kết quả",
      contact: "Liên hệ",
      overdue: "Hồ sơ đã quá ngày hẹn. Xin liên hệ bộ phận một cửa để biết ngày trả mới.",
      "no-link": "Xin mở trang này bằng cách quét mã QR trên giấy tiếp nhận hồ sơ.",
      insecure: "Trang này chỉ giải mã được qua kết nối an toàn (HTTPS) trên trình duyệt còn được cập nhật. Xin mở lại bằng mã QR trên giấy tiếp nhận, hoặc dùng trình duyệt khác.",
      "not-found": "Chưa có thông tin về hồ sơ này. Thông tin được cập nhật khi máy của bộ phận một cửa có mạng; xin xem lại sau.",
      "cannot-decrypt": "Không đọc được thông tin hồ sơ: đường dẫn không đầy đủ hoặc đã bị sửa. Xin quét lại mã QR trên giấy tiếp nhận.",
      unavailable: "Chưa tải được thông tin lúc này. Xin thử lại sau ít phút."
    },
    en: {
      title: "Dossier status",
      other: "Tiếng Việt",
      loading: "Loading…",
      applicant: "Applicant",
      procedure: "Procedure",
      appointment: "Result due",
      collect: "Where to collect",
      contact: "Contact",
      overdue: "The due date has passed. Please contact the desk for the new date.",
      "no-link": "Please open this page by scanning the QR code on your dossier receipt.",
      insecure: "This page can decrypt only over a secure connection (HTTPS) in an up-to-date browser. Please open it again from the receipt's QR code, or use another browser.",
      "not-found": "There is no information on this dossier yet. It is updated when the desk's computer is online; please look again later.",
      "cannot-decrypt": "The dossier's information cannot be read: the link is incomplete or altered. Please scan the QR code on your receipt again.",
      unavailable: "The information cannot be loaded right now. Please try again in a few minutes."
    }
  };

  var lang = "vi";
  var card = null;
  var problem = null;

  try {
    if (window.localStorage && window.localStorage.getItem("motcua-lang") === "en") {
      lang = "en";
    }
  } catch (e) {
    /* Private browsing may refuse storage: Vietnamese then. */
  }
  // A link may ask for a language, as the LAN status page's `?lang=en` does.
  var asked = /[?&]lang=(vi|en)\b/.exec(window.location.search || "");
  if (asked) {
    lang = asked[1];
  }

  function $(id) {
    return document.getElementById(id);
  }

  function el(tag, className, text, id) {
    var node = document.createElement(tag);
    if (className) {
      node.className = className;
    }
    if (id) {
      node.id = id;
    }
    node.appendChild(document.createTextNode(text));
    return node;
  }

  function words(w) {
    return w ? (lang === "en" ? w.en : w.vi) : "";
  }

  function base64url(text) {
    var b64 = text.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) {
      b64 += "=";
    }
    var binary = window.atob(b64);
    var bytes = new Uint8Array(binary.length);
    for (var i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  }

  function utf8(bytes) {
    if (window.TextDecoder) {
      return new window.TextDecoder("utf-8").decode(bytes);
    }
    var binary = "";
    for (var i = 0; i < bytes.length; i++) {
      binary += String.fromCharCode(bytes[i]);
    }
    return decodeURIComponent(escape(binary));
  }

  function ascii(text) {
    var bytes = new Uint8Array(text.length);
    for (var i = 0; i < text.length; i++) {
      bytes[i] = text.charCodeAt(i) & 0x7f;
    }
    return bytes;
  }

  function render() {
    var t = TEXT[lang];
    document.documentElement.lang = lang;
    document.title = t.title;
    $("title").textContent = t.title;
    $("lang").textContent = t.other;
    var answer = $("answer");
    while (answer.firstChild) {
      answer.removeChild(answer.firstChild);
    }
    $("gov").textContent = card ? card.governing_body : "";
    $("unit").textContent = card ? card.unit : "";
    $("contact").textContent = card && card.contact ? t.contact + ": " + card.contact : "";
    if (problem) {
      var p = el("p", "state " + (problem === "not-found" ? "wait" : "stop"), t[problem], "problem");
      p.setAttribute("data-problem", problem);
      answer.appendChild(p);
      return;
    }
    if (!card) {
      answer.appendChild(el("p", "state wait", t.loading, "loading"));
      return;
    }
    answer.appendChild(el("p", "state " + card.tone, words(card.status), "status"));
    if (card.overdue_after && new Date().getTime() > Date.parse(card.overdue_after)) {
      answer.appendChild(el("p", "warn", t.overdue, "overdue"));
    }
    var notes = card.notes || [];
    for (var i = 0; i < notes.length; i++) {
      answer.appendChild(el("p", "note", words(notes[i])));
    }
    var dl = document.createElement("dl");
    function row(label, value, id) {
      if (value) {
        dl.appendChild(el("dt", "", label));
        dl.appendChild(el("dd", "", value, id));
      }
    }
    row(t.applicant, card.applicant, "applicant");
    row(t.procedure, card.procedure, "procedure");
    row(t.appointment, words(card.appointment), "appointment");
    row(t.collect, words(card.collect), "collect");
    answer.appendChild(dl);
    answer.appendChild(el("p", "small", words(card.updated), "updated"));
  }

  function fail(kind) {
    problem = kind;
    render();
  }

  function decrypt(name, keyText, blob) {
    var bytes = new Uint8Array(blob);
    var key;
    try {
      key = base64url(keyText);
    } catch (e) {
      fail("cannot-decrypt");
      return;
    }
    if (bytes.length < 13 + 16 || bytes[0] !== 1 || key.length !== 32) {
      fail("cannot-decrypt");
      return;
    }
    var subtle = window.crypto.subtle;
    subtle
      .importKey("raw", key, { name: "AES-GCM" }, false, ["decrypt"])
      .then(function (k) {
        return subtle.decrypt(
          { name: "AES-GCM", iv: bytes.subarray(1, 13), additionalData: ascii(name), tagLength: 128 },
          k,
          bytes.subarray(13)
        );
      })
      .then(function (plain) {
        card = JSON.parse(utf8(new Uint8Array(plain)));
        problem = null;
        render();
      }, function () {
        fail("cannot-decrypt");
      });
  }

  function load() {
    var match = /^#([A-Za-z0-9_-]+)\.([A-Za-z0-9_-]{43})$/.exec(window.location.hash || "");
    if (!match) {
      fail("no-link");
      return;
    }
    if (!window.isSecureContext && window.location.protocol !== "https:") {
      fail("insecure");
      return;
    }
    if (!window.crypto || !window.crypto.subtle) {
      fail("insecure");
      return;
    }
    var name = match[1];
    var xhr = new XMLHttpRequest();
    // The query defeats caches between the phone and the host: a status changes.
    xhr.open("GET", name + "?t=" + new Date().getTime(), true);
    xhr.responseType = "arraybuffer";
    xhr.onload = function () {
      if (xhr.status === 200) {
        decrypt(name, match[2], xhr.response);
      } else if (xhr.status === 404 || xhr.status === 403) {
        fail("not-found");
      } else {
        fail("unavailable");
      }
    };
    xhr.onerror = function () {
      fail("unavailable");
    };
    xhr.send();
  }

  $("lang").onclick = function () {
    lang = lang === "vi" ? "en" : "vi";
    try {
      window.localStorage.setItem("motcua-lang", lang);
    } catch (e) {
      /* Not kept: the switch still works on this page. */
    }
    render();
  };
  window.onhashchange = function () {
    card = null;
    problem = null;
    render();
    load();
  };
  render();
  load();
})();
