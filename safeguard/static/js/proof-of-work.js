// Proof of work for a report of a child in danger sent above the rate limit (intake/proofofwork.py).
// Finds a nonce such that sha256(challenge + nonce) starts with `bits` zero bits, puts it in the
// form and sends the form again. Without this script the server accepts the same form after a
// short wait instead. A plain SHA-256 (not WebCrypto): it also runs on plain-http installations.
(function () {
  "use strict";
  var K = new Uint32Array([
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ]);
  var W = new Uint32Array(64);

  // The first 32 bits of the SHA-256 of an ASCII string (the challenge is base64 and the nonce digits).
  function sha256(text) {
    var length = text.length;
    var blocks = ((length + 9 + 63) >> 6) << 4;
    var words = new Uint32Array(blocks);
    for (var i = 0; i < length; i++) words[i >> 2] |= (text.charCodeAt(i) & 0xff) << (24 - (i & 3) * 8);
    words[length >> 2] |= 0x80 << (24 - (length & 3) * 8);
    words[blocks - 1] = length * 8;
    var h0 = 0x6a09e667, h1 = 0xbb67ae85, h2 = 0x3c6ef372, h3 = 0xa54ff53a;
    var h4 = 0x510e527f, h5 = 0x9b05688c, h6 = 0x1f83d9ab, h7 = 0x5be0cd19;
    for (var block = 0; block < blocks; block += 16) {
      for (var t = 0; t < 64; t++) {
        if (t < 16) {
          W[t] = words[block + t];
        } else {
          var a15 = W[t - 15], a2 = W[t - 2];
          var s0 = ((a15 >>> 7) | (a15 << 25)) ^ ((a15 >>> 18) | (a15 << 14)) ^ (a15 >>> 3);
          var s1 = ((a2 >>> 17) | (a2 << 15)) ^ ((a2 >>> 19) | (a2 << 13)) ^ (a2 >>> 10);
          W[t] = (W[t - 16] + s0 + W[t - 7] + s1) | 0;
        }
      }
      var a = h0, b = h1, c = h2, d = h3, e = h4, f = h5, g = h6, h = h7;
      for (t = 0; t < 64; t++) {
        var S1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
        var t1 = (h + S1 + ((e & f) ^ (~e & g)) + K[t] + W[t]) | 0;
        var S0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
        var t2 = (S0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
        h = g; g = f; f = e; e = (d + t1) | 0; d = c; c = b; b = a; a = (t1 + t2) | 0;
      }
      h0 = (h0 + a) | 0; h1 = (h1 + b) | 0; h2 = (h2 + c) | 0; h3 = (h3 + d) | 0;
      h4 = (h4 + e) | 0; h5 = (h5 + f) | 0; h6 = (h6 + g) | 0; h7 = (h7 + h) | 0;
    }
    return [h0 >>> 0, h1 >>> 0, h2 >>> 0, h3 >>> 0, h4 >>> 0, h5 >>> 0, h6 >>> 0, h7 >>> 0];
  }

  function leadingZeroBits(digest) {
    var count = 0;
    for (var i = 0; i < digest.length; i++) {
      if (digest[i] === 0) { count += 32; continue; }
      return count + Math.clz32(digest[i]);
    }
    return count;
  }

  function solve(form) {
    var challenge = form.dataset.powChallenge;
    var bits = parseInt(form.dataset.powBits, 10);
    var nonceInput = form.querySelector("input[name=pow_nonce]");
    var send = form.querySelector("button.send-report");
    var box = document.getElementById("proof-of-work");
    if (!challenge || !bits || !nonceInput || !send) return;
    if (box) {
      box.querySelector(".pow-status").classList.add("visually-hidden");
      box.querySelector(".pow-working").classList.remove("visually-hidden");
    }
    var nonce = 0;
    function chunk() {
      // Small chunks keep the page responsive on slow phones.
      for (var tries = 0; tries < 20000; tries++, nonce++) {
        if (leadingZeroBits(sha256(challenge + nonce)) >= bits) {
          nonceInput.value = String(nonce);
          send.click();
          return;
        }
      }
      window.setTimeout(chunk, 0);
    }
    window.setTimeout(chunk, 0);
  }

  window.safeguardSha256 = sha256; // for the browser test that checks it against Python's
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form[data-pow-challenge]").forEach(solve);
  });
})();
