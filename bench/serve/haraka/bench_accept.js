// Haraka plugin for bench/serve/run.sh: every recipient accepted, every message "queued" (discarded).
'use strict';

exports.hook_rcpt = function (next) {
  next(OK);
};

exports.hook_queue = function (next) {
  next(OK);
};
