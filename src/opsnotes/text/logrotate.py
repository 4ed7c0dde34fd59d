"""Messages of the logrotate model and calculator."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors --------------------------------------------------------------------------
    "logrotate.bad_create_mode": {
        "en": "create mode '{value}' is not an octal mode like 0640 (three or four digits 0-7).",
        "zh": "create 的权限“{value}”不是 0640 这样的八进制权限（三到四位 0-7 的数字）。",
    },
    "logrotate.create_mode_needs_create": {
        "en": "A mode for the new file only applies to the create way of rotating; with {mode} "
              "logrotate creates no new file. Clear the mode or choose create.",
        "zh": "新文件的权限只对 create 方式有意义；{mode} 方式下 logrotate 不新建文件。"
              "请清空权限，或改选 create。",
    },
    "logrotate.delaycompress_needs_compress": {
        "en": "delaycompress only has an effect together with compress; turn compress on.",
        "zh": "delaycompress 只有和 compress 一起用才起作用，请同时打开 compress。",
    },
    "logrotate.delaycompress_needs_rotate": {
        "en": "With rotate 0 the rotated log is deleted at once, so there is nothing for "
              "delaycompress to keep; use rotate 1 or more.",
        "zh": "rotate 0 会立刻删除轮转出来的日志，delaycompress 没有可保留的文件；"
              "请把 rotate 设为 1 或更大。",
    },
    # --- form ----------------------------------------------------------------------------
    "logrotate.preset.rsyslog": {"en": "rsyslog: create + HUP + delaycompress",
                                 "zh": "rsyslog：create + HUP + delaycompress"},
    "logrotate.preset.copytruncate": {"en": "An app that cannot reopen: copytruncate",
                                      "zh": "无法重新打开日志的程序：copytruncate"},
    "calc.title.logrotate": {"en": "logrotate outcome simulator", "zh": "logrotate 结果模拟器"},
    "calc.summary.logrotate": {"en": "where log lines go during a logrotate rotation",
                               "zh": "logrotate 轮转期间日志行写到了哪里"},
    "logrotate.field.mode": {"en": "How logrotate rotates", "zh": "轮转方式"},
    "logrotate.field.mode.create": {"en": "create (rename, then a new file)",
                                    "zh": "create（改名，再新建文件）"},
    "logrotate.field.mode.copytruncate": {"en": "copytruncate (copy, then truncate)",
                                          "zh": "copytruncate（复制后截断）"},
    "logrotate.field.mode.copy": {"en": "copy (copy only)", "zh": "copy（只复制）"},
    "logrotate.field.mode.nocreate": {"en": "nocreate (rename only)", "zh": "nocreate（只改名）"},
    "logrotate.field.writer": {"en": "How the program writes its log", "zh": "程序如何写日志"},
    "logrotate.field.writer.append": {"en": "keeps its descriptor, O_APPEND (>>)",
                                      "zh": "一直用同一个描述符，O_APPEND（>>）"},
    "logrotate.field.writer.offset": {"en": "keeps its descriptor, no O_APPEND (>)",
                                      "zh": "一直用同一个描述符，无 O_APPEND（>）"},
    "logrotate.field.writer.reopen": {"en": "reopens on SIGHUP, O_APPEND (rsyslog)",
                                      "zh": "收到 SIGHUP 重新打开，O_APPEND（rsyslog）"},
    "logrotate.field.writer.reopen-offset": {"en": "reopens on SIGHUP, no O_APPEND",
                                             "zh": "收到 SIGHUP 重新打开，无 O_APPEND"},
    "logrotate.field.writer.per-write": {"en": "opens the file for every line (O_APPEND|O_CREAT)",
                                         "zh": "每写一行都重新打开（O_APPEND|O_CREAT）"},
    "logrotate.field.create_mode": {"en": "create mode (empty: the old file's)",
                                    "zh": "create 的权限（留空：沿用旧文件的）"},
    "logrotate.field.compress": {"en": "compress", "zh": "compress（压缩）"},
    "logrotate.field.delaycompress": {"en": "delaycompress", "zh": "delaycompress（推迟压缩）"},
    "logrotate.field.signal": {"en": "postrotate sends SIGHUP to the program",
                               "zh": "postrotate 给程序发 SIGHUP"},
    "logrotate.field.rotate": {"en": "rotate N (logs kept)", "zh": "rotate N（保留的旧日志数）"},
    "logrotate.field.rate": {"en": "Writer's rate: lines between two steps (1-5)",
                             "zh": "写入速度：相邻两步之间写几行（1-5）"},
    "logrotate.field.rotations": {"en": "Rotations (1-4)", "zh": "轮转次数（1-4）"},
    # --- results -------------------------------------------------------------------------
    "logrotate.verdict.safe": {"en": "Safe: every line lands in exactly one file, no holes.",
                               "zh": "安全：每一行都恰好落在一个文件里，没有空洞。"},
    "logrotate.verdict.may_lose": {"en": "May lose lines", "zh": "可能丢行"},
    "logrotate.verdict.may_duplicate": {"en": "May duplicate lines", "zh": "可能重复"},
    "logrotate.verdict.may_leave_nul_bytes": {"en": "May leave a hole of NUL bytes",
                                              "zh": "可能留下 NUL 字节空洞"},
    "logrotate.verdict.may_misplace": {
        "en": "Lines may end up in a .backup file, and the new file gets the program's mode",
        "zh": "有的行可能落进 .backup 文件，新文件的权限变成程序自己的"},
    "logrotate.verdict.stays_in_rotated": {
        "en": "The program never moves to the new file: it keeps writing to the rotated one",
        "zh": "程序始终不会切到新文件，一直写在被轮转走的旧文件里"},
    "logrotate.headline": {"en": "{method} + {writer}: {verdict}",
                           "zh": "{method} + {writer}：{verdict}"},
    "logrotate.summary": {"en": "Summary", "zh": "结论"},
    "logrotate.after_rotation": {"en": "A line written after the rotation, before any reopen, "
                                       "goes to",
                                 "zh": "轮转之后、重新打开之前写的一行，落在"},
    "logrotate.after_reopen": {"en": "A line written after the program reopened goes to",
                               "zh": "程序重新打开之后写的一行，落在"},
    "logrotate.new_file_mode": {"en": "Mode of the new app.log", "zh": "新 app.log 的权限"},
    "logrotate.dest.rotated": {"en": "the rotated file", "zh": "被轮转走的旧文件"},
    "logrotate.dest.new": {"en": "the file now named app.log", "zh": "现在叫 app.log 的文件"},
    "logrotate.dest.lost": {"en": "nowhere (lost)", "zh": "哪里都没有（丢失）"},
    "logrotate.dest.none": {"en": "(the program does not reopen)", "zh": "（程序不会重新打开）"},
    "logrotate.yes": {"en": "yes", "zh": "是"},
    "logrotate.no": {"en": "no", "zh": "否"},
    "logrotate.timeline.caption": {"en": "Timeline: the files after each step (inode: lines)",
                                   "zh": "时间线：每一步之后的文件（inode：行号）"},
    "logrotate.timeline.rotation": {"en": "Rotation", "zh": "轮次"},
    "logrotate.timeline.step": {"en": "Step", "zh": "步骤"},
    "logrotate.timeline.files": {"en": "Files", "zh": "文件"},
    "logrotate.lines.caption": {"en": "Where each numbered line landed",
                                "zh": "每个编号行最终落在哪里"},
    "logrotate.lines.line": {"en": "Line", "zh": "行号"},
    "logrotate.lines.written": {"en": "Written", "zh": "写入时机"},
    "logrotate.lines.where": {"en": "Found in", "zh": "所在文件"},
    "logrotate.lines.status": {"en": "Outcome", "zh": "结果"},
    "logrotate.phase.before": {"en": "before the rotation", "zh": "轮转之前"},
    "logrotate.phase.after": {"en": "after: {step}", "zh": "{step} 之后"},
    "logrotate.status.rotated": {"en": "rotated file", "zh": "旧文件"},
    "logrotate.status.new": {"en": "new file", "zh": "新文件"},
    "logrotate.status.lost": {"en": "LOST", "zh": "丢失"},
    "logrotate.status.removed": {"en": "removed by rotate N", "zh": "按 rotate N 删除"},
    "logrotate.status.duplicated": {"en": "DUPLICATED", "zh": "重复"},
    "logrotate.status.backup": {"en": ".backup file", "zh": ".backup 文件"},
    "logrotate.nul_before": {"en": "after NUL bytes", "zh": "前面有 NUL 字节"},
    "logrotate.stanza": {"en": "Recommended stanza for this program (paste into "
                               "/etc/logrotate.d/app)",
                         "zh": "适合这种程序的配置（贴进 /etc/logrotate.d/app）"},
    "logrotate.stanza.offset": {
        "en": "This program writes at its own offset: copytruncate would leave NUL holes, so "
              "rotate with create and restart it. Better: make it open the log with O_APPEND.",
        "zh": "这个程序按自己的偏移写：copytruncate 会留下 NUL 空洞，所以用 create 并重启它。"
              "更好的办法：让它以 O_APPEND 打开日志。"},
    "logrotate.stanza.append": {
        "en": "This program cannot reopen its log: copytruncate is the only way, and a line "
              "written between the copy and the truncate is lost.",
        "zh": "这个程序不能重新打开日志，只能用 copytruncate；在复制和截断之间写的行会丢。"},
    "logrotate.steps": {"en": "The steps logrotate runs, in order",
                        "zh": "logrotate 依次执行的步骤"},
    "logrotate.step.start": {"en": "start", "zh": "开始"},
    "logrotate.step.skipped": {"en": "skipped: app.log is missing", "zh": "跳过：app.log 不存在"},
    "logrotate.step.delaycompress": {"en": "gzip app.log.1 (delaycompress), unlink it",
                                     "zh": "gzip 压缩 app.log.1（delaycompress），删除原文件"},
    "logrotate.step.shift": {"en": "shift app.log.N to app.log.N+1",
                             "zh": "旧日志依次改名 app.log.N → app.log.N+1"},
    "logrotate.step.rename": {"en": "rename app.log to app.log.1",
                              "zh": "app.log 改名为 app.log.1"},
    "logrotate.step.copy": {"en": "copy app.log to a new app.log.1",
                            "zh": "把 app.log 复制成新的 app.log.1"},
    "logrotate.step.skip-copy": {"en": "open app.log, copy nothing (rotate 0 keeps no copy)",
                                 "zh": "打开 app.log，但不复制（rotate 0 不保留副本）"},
    "logrotate.step.create": {"en": "create a new app.log (O_EXCL)",
                              "zh": "新建 app.log（O_EXCL）"},
    "logrotate.step.truncate": {"en": "truncate app.log to 0 bytes",
                                "zh": "把 app.log 截断为 0 字节"},
    "logrotate.step.postrotate": {"en": "run postrotate", "zh": "运行 postrotate"},
    "logrotate.step.compress": {"en": "gzip app.log.1, unlink it",
                                "zh": "gzip 压缩 app.log.1，删除原文件"},
    "logrotate.step.remove": {"en": "remove the log beyond rotate N",
                              "zh": "删除超出 rotate N 的旧日志"},
    "logrotate.step.reopen": {"en": "the program reopens app.log",
                              "zh": "程序重新打开 app.log"},
    "logrotate.files.none": {"en": "(no files)", "zh": "（没有文件）"},
    # --- notes ---------------------------------------------------------------------------
    "logrotate.note.backup": {
        "en": "The program recreated app.log between logrotate's rename and create; logrotate "
              "3.21 then moves that file to app.log-YYYYMMDDHH.backup and creates app.log again.",
        "zh": "程序在 logrotate 改名和新建之间重新建出了 app.log；logrotate 3.21 会把它改名为 "
              "app.log-YYYYMMDDHH.backup，再重新新建 app.log。"},
    "logrotate.note.missing": {
        "en": "app.log did not exist at the next rotation: logrotate skips it (and reports an "
              "error unless missingok is set).",
        "zh": "下一次轮转时 app.log 不存在：logrotate 会跳过它（没有 missingok 时还会报错）。"},
    "logrotate.note.compress_fails": {
        "en": "With rotate 0, copy and copytruncate keep no copy, so there is no app.log.1 to "
              "compress: logrotate 3.21 reports \"unable to open app.log.1 for compression\" "
              "and exits 1 at every rotation.",
        "zh": "rotate 0 时，copy 和 copytruncate 不留副本，于是没有可压缩的 app.log.1："
              "logrotate 3.21 每次轮转都报“unable to open app.log.1 for compression”，"
              "退出码为 1。"},
    "logrotate.note.rotate0_copy": {
        "en": "rotate 0 keeps nothing: logrotate 3.21 does not copy the log at all; copytruncate "
              "only empties app.log, copy changes nothing.",
        "zh": "rotate 0 什么都不保留：logrotate 3.21 根本不复制日志；copytruncate 只是清空 "
              "app.log，copy 则什么都不改。"},
    "logrotate.note.nocreate_no_file": {
        "en": "With nocreate nobody creates a new app.log unless the program does.",
        "zh": "用 nocreate 时，除非程序自己建，否则没有人会新建 app.log。"},
    "logrotate.note.no_signal": {
        "en": "The program reopens only when signalled, and postrotate sends no signal.",
        "zh": "程序只在收到信号时重新打开，而 postrotate 没有发信号。"},
}
