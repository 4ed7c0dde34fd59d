"""Messages of the listen() backlog model and calculator."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors ----------------------------------------------------------------------------
    "backlog.somaxconn_refused": {
        "en": "Linux {kernel} refuses net.core.somaxconn = {value}: from 3.10 to 4.0 the limit is "
              "65535 (sysctl says \"Invalid argument\" and keeps the old value); use 65535.",
        "zh": "Linux {kernel} 不接受 net.core.somaxconn = {value}：3.10 到 4.0 的上限是 65535"
              "（sysctl 报 “Invalid argument”，并保留原值）；请改用 65535。"},
    "backlog.bad_kernel": {
        "en": "'{value}' is not a kernel release: write it as uname -r prints it, "
              "e.g. 3.10.0-1160.el7.x86_64 or 6.1.",
        "zh": "“{value}”不是内核版本号：请按 uname -r 的格式填写，"
              "例如 3.10.0-1160.el7.x86_64 或 6.1。",
    },
    "backlog.too_long": {
        "en": "{field}: more than {limit} characters; paste only the lines you need.",
        "zh": "{field}：超过 {limit} 个字符，请只粘贴需要的行。",
    },
    "backlog.bad_ss_line": {
        "en": "Line {number} of the ss output is a LISTEN line without two numbers "
              "(Recv-Q, Send-Q) after the state: {line}",
        "zh": "ss 输出的第 {number} 行是 LISTEN 行，但状态后面没有两个数字（Recv-Q、Send-Q）：{line}",
    },
    "backlog.no_listeners": {
        "en": "No listening TCP socket found: paste the output of ss -lnt (lines starting "
              "with LISTEN).",
        "zh": "没有找到处于监听状态的 TCP 套接字：请粘贴 ss -lnt 的输出（以 LISTEN 开头的行）。",
    },
    "backlog.netstat_lnt": {
        "en": "Line {number} is netstat -lnt output: netstat shows 0 as Send-Q for every "
              "listener, so the limit cannot be read from it. Paste the output of ss -lnt.",
        "zh": "第 {number} 行是 netstat -lnt 的输出：netstat 对所有监听套接字的 Send-Q 都显示 0，"
              "看不出上限。请粘贴 ss -lnt 的输出。"},
    "backlog.paste_digit": {
        "en": "Line {number}: '{value}' has a digit other than 0-9 ('{char}'); ss and nstat print "
              "only 0-9, so paste their output as it is.",
        "zh": "第 {number} 行：“{value}”里有 0-9 以外的数字（“{char}”）；ss 和 nstat 只会输出 0-9，"
              "请原样粘贴它们的输出。",
    },
    "backlog.paste_range": {
        "en": "Line {number}: {value} is out of range (0 to {high}); no queue or counter the kernel "
              "reports is that large.",
        "zh": "第 {number} 行：{value} 超出范围（0 到 {high}），内核报告的队列长度和计数器都不可能这么大。",
    },
    "backlog.no_counters": {
        "en": "No listen counter found: paste the output of nstat -az or netstat -s, or leave "
              "the field empty.",
        "zh": "没有找到与监听相关的计数器：请粘贴 nstat -az 或 netstat -s 的输出，或者留空。",
    },
    # --- form ------------------------------------------------------------------------------
    "backlog.preset.rhel7_nginx": {"en": "RHEL 7 + nginx", "zh": "RHEL 7 + nginx"},
    "backlog.preset.rhel9_nginx": {"en": "RHEL 9 + nginx", "zh": "RHEL 9 + nginx"},
    "backlog.preset.rhel8_redis": {"en": "RHEL 8 + Redis", "zh": "RHEL 8 + Redis"},
    "backlog.preset.sizing": {"en": "Size it: 2000 conn/s, 100 ms stall",
                              "zh": "估算：每秒 2000 个连接，停顿 100 ms"},
    "calc.title.backlog": {"en": "listen() backlog calculator", "zh": "listen() backlog 计算器"},
    "calc.summary.backlog": {
        "en": "listen() backlog: effective limit, sizing (--rate/--burst), diagnosis (--ss)",
        "zh": "listen() backlog：实际上限、容量估算（--rate/--burst）、诊断（--ss）",
    },
    "backlog.field.mode": {"en": "What to work out", "zh": "要算什么"},
    "backlog.field.mode.effective": {"en": "Effective limit",
                                     "zh": "实际上限"},
    "backlog.field.mode.sizing": {"en": "Sizing",
                                  "zh": "容量规划"},
    "backlog.field.mode.diagnose": {"en": "Diagnosis (paste ss -lnt)",
                                    "zh": "诊断（粘贴 ss -lnt）"},
    "backlog.field.server": {"en": "Server or runtime", "zh": "服务器或运行时"},
    "backlog.field.server.custom": {"en": "my own program",
                                    "zh": "自己的程序"},
    "backlog.field.server.nginx": {"en": "nginx (default 511)", "zh": "nginx（默认 511）"},
    "backlog.field.server.httpd": {"en": "Apache httpd (default 511)", "zh": "Apache httpd（默认 511）"},
    "backlog.field.server.node": {"en": "Node.js net/http (default 511)",
                                  "zh": "Node.js net/http（默认 511）"},
    "backlog.field.server.redis": {"en": "Redis (default 511)", "zh": "Redis（默认 511）"},
    "backlog.field.server.gunicorn": {"en": "gunicorn (default 2048)", "zh": "gunicorn（默认 2048）"},
    "backlog.field.server.python_socket": {"en": "Python socket.listen() (default 128)",
                                           "zh": "Python socket.listen()（默认 128）"},
    "backlog.field.server.asyncio": {"en": "Python asyncio servers (default 100)",
                                     "zh": "Python asyncio 服务器（默认 100）"},
    "backlog.field.server.java": {"en": "Java ServerSocket (default 50)",
                                  "zh": "Java ServerSocket（默认 50）"},
    "backlog.field.server.tomcat": {"en": "Tomcat acceptCount (default 100)",
                                    "zh": "Tomcat acceptCount（默认 100）"},
    "backlog.field.server.go": {"en": "Go net.Listen (uses somaxconn)",
                                "zh": "Go net.Listen（直接用 somaxconn）"},
    "backlog.field.server.socketserver": {"en": "Python socketserver / http.server (default 5)",
                                          "zh": "Python socketserver / http.server（默认 5）"},
    "backlog.field.server.systemd_4096": {"en": "systemd < 254 with glibc >= 2.31 (default 4096)",
                                          "zh": "systemd < 254，glibc >= 2.31（默认 4096）"},
    "backlog.field.server.systemd_128": {"en": "systemd < 254 with glibc < 2.31 (default 128)",
                                         "zh": "systemd < 254，glibc < 2.31（默认 128）"},
    # --- what a runtime does with the configured value ---------------------------------------
    "backlog.rt.overflow": {
        "en": "The value does not fit a C int: the program stops with OverflowError before "
              "it listens.",
        "zh": "这个值超出了 C 的 int 范围：程序在 listen 之前就以 OverflowError 退出。"},
    "backlog.rt.negative_zero": {
        "en": "Python turns a negative backlog into 0 before calling listen().",
        "zh": "Python 会先把负数 backlog 改成 0，再调用 listen()。"},
    "backlog.rt.zero_default": {
        "en": "Node.js treats 0 as not set and passes its default, 511.",
        "zh": "Node.js 把 0 当作未设置，传的是默认值 511。"},
    "backlog.rt.java_50": {
        "en": "Java replaces a backlog below 1 with 50.",
        "zh": "Java 会把小于 1 的 backlog 换成 50。"},
    "backlog.rt.java_int": {
        "en": "Java takes the backlog as an int: a larger value does not compile, and read "
              "from a configuration Integer.parseInt refuses it (NumberFormatException).",
        "zh": "Java 的 backlog 参数是 int：更大的值写在代码里编译不过，从配置读取时 "
              "Integer.parseInt 会拒绝它（NumberFormatException）。"},
    "backlog.rt.ignored": {
        "en": "Tomcat ignores an acceptCount that is not a positive int and keeps 100.",
        "zh": "acceptCount 不是正的 int 时 Tomcat 会忽略它，仍用 100。"},
    "backlog.rt.negative_refused": {
        "en": "gunicorn refuses a negative backlog (\"Value must be positive\").",
        "zh": "gunicorn 拒绝负数 backlog（“Value must be positive”）。"},
    "backlog.rt.nginx_invalid": {
        "en": "nginx refuses this at start: \"invalid backlog\" (0, a negative value, or one "
              "that becomes 0 or -1 when stored in an int, such as 4294967295).",
        "zh": "nginx 启动时拒绝这个值：“invalid backlog”（0、负数，或存进 int 后变成 0 或 -1 的值，"
              "例如 4294967295）。"},
    "backlog.rt.httpd_invalid": {
        "en": "httpd refuses this at start: \"ListenBacklog must be > 0\".",
        "zh": "httpd 启动时拒绝这个值：“ListenBacklog must be > 0”。"},
    "backlog.rt.redis_range": {
        "en": "Redis accepts tcp-backlog from 0 to 2147483647 only.",
        "zh": "Redis 的 tcp-backlog 只接受 0 到 2147483647。"},
    "backlog.rt.haproxy_bind_backlog": {
        "en": "HAProxy refuses a negative \"backlog\" on a bind line (and 0 before 2.0; since "
              "2.0, 0 means not set).",
        "zh": "HAProxy 拒绝 `bind` 行上为负数的 `backlog`（2.0 之前 0 也拒绝；2.0 起 0 表示未设置）。"},
    "backlog.rt.haproxy_bind_maxconn": {
        "en": "HAProxy refuses a negative \"maxconn\" on a bind line.",
        "zh": "HAProxy 拒绝 `bind` 行上为负数的 `maxconn`。"},
    "backlog.rt.systemd_range": {
        "en": "Backlog= takes an unsigned 32-bit number (0 to 4294967295).",
        "zh": "Backlog= 只接受 32 位无符号整数（0 到 4294967295）。"},
    "backlog.rt.wrapped": {
        "en": "Stored in a C int, the value wrapped around to {arg}.",
        "zh": "存进 C 的 int 后，这个值回绕成了 {arg}。"},
    "backlog.rt.go_fixed": {
        "en": "Go's net.Listen has no backlog setting: it passes net.core.somaxconn as read at "
              "the first Listen.",
        "zh": "Go 的 net.Listen 没有 backlog 参数：它传的是第一次 Listen 时读到的 "
              "net.core.somaxconn。"},
    "backlog.field.server.systemd": {"en": "systemd socket unit (Backlog= default: somaxconn)",
                                     "zh": "systemd socket 单元（Backlog= 默认：somaxconn）"},
    "backlog.field.backlog": {"en": "Backlog passed to listen() (empty: the server's default)",
                              "zh": "传给 listen() 的 backlog（留空：取服务器默认值）"},
    "backlog.field.somaxconn": {"en": "net.core.somaxconn (empty: the kernel's default)",
                                "zh": "net.core.somaxconn（留空：取内核默认值）"},
    "backlog.field.kernel": {"en": "Kernel release (uname -r)", "zh": "内核版本（uname -r）"},
    "backlog.field.rate": {"en": "Peak new connections per second",
                           "zh": "峰值新建连接数（每秒）"},
    "backlog.field.accept_ms": {"en": "Longest accept() stall (ms)",
                                "zh": "accept() 最长停顿（毫秒）"},
    "backlog.field.burst": {"en": "Or: connections arriving at once (burst)",
                            "zh": "或：同一时刻涌入的连接数（突发）"},
    "backlog.field.ss": {"en": "Output of ss -lnt", "zh": "ss -lnt 的输出"},
    "backlog.field.counters": {"en": "Output of nstat -az or netstat -s (optional)",
                               "zh": "nstat -az 或 netstat -s 的输出（可选）"},
    # --- effective limit -------------------------------------------------------------------
    "backlog.headline": {
        "en": "The kernel uses {effective}: up to {capacity} connections can wait for accept()",
        "zh": "内核实际采用 {effective}：最多 {capacity} 个连接可以排队等待 accept()"},
    "backlog.asked": {"en": "Asked for", "zh": "程序请求"},
    "backlog.asked.server": {"en": "{n} ({server})", "zh": "{n}（{server}）"},
    "backlog.asked.given": {"en": "{n}", "zh": "{n}"},
    "backlog.somaxconn": {"en": "net.core.somaxconn", "zh": "net.core.somaxconn"},
    "backlog.somaxconn_from.given": {"en": "{n}", "zh": "{n}"},
    "backlog.somaxconn_from.kernel": {"en": "{n} (default of Linux {kernel})",
                                      "zh": "{n}（Linux {kernel} 的默认值）"},
    "backlog.somaxconn_from.assumed": {"en": "{n} (default since Linux 5.4)",
                                       "zh": "{n}（Linux 5.4 起的默认值）"},
    "backlog.effective": {"en": "Limit the kernel applies (sk_max_ack_backlog)",
                          "zh": "内核采用的上限（sk_max_ack_backlog）"},
    "backlog.capacity": {"en": "Connections that can wait un-accepted",
                         "zh": "可排队等待 accept() 的连接数"},
    "backlog.ss_reads": {
        "en": "ss -lnt shows this listener with Send-Q {effective} (the limit) and Recv-Q between "
              "0 and {capacity} (connections waiting now):",
        "zh": "ss -lnt 中这个监听套接字的 Send-Q 为 {effective}（上限），Recv-Q 在 0 到 {capacity} "
              "之间（当前排队的连接数）："},
    "backlog.warnings": {"en": "Warnings", "zh": "注意"},
    "backlog.note.capped": {
        "en": "Silently capped: the program asked for {arg}, but net.core.somaxconn is "
              "{somaxconn}, so the kernel uses {effective}. listen() reports no error.",
        "zh": "被悄悄截断：程序请求 {arg}，但 net.core.somaxconn 只有 {somaxconn}，"
              "内核实际用 {effective}。listen() 不会报任何错。"},
    "backlog.note.negative": {
        "en": "listen() received {arg}: the kernel compares it as unsigned, so a negative "
              "backlog (or 4294967295) means net.core.somaxconn, here {somaxconn}.",
        "zh": "listen() 收到的是 {arg}：内核按无符号数比较，所以负数（或 4294967295）"
              "等于 net.core.somaxconn，这里是 {somaxconn}。"},
    "backlog.note.wrapped": {
        "en": "Before Linux 4.1 the limit was stored in 16 bits: a value above 65535 wraps "
              "around, here to {effective}.",
        "zh": "Linux 4.1 之前内核用 16 位保存这个上限：超过 65535 的值会回绕，这里变成了 {effective}。"},
    "backlog.note.zero": {
        "en": "A backlog of 0 still lets one connection wait when SYN cookies are on. With "
              "them off, kernels from 4.4 until the January 2025 fix (6.13; 6.1.125, 6.6.72, "
              "6.12.10) accept no connection at all.",
        "zh": "开启 SYN cookies 时，backlog 为 0 仍能排 1 个连接。关闭 cookies 时，从 4.4 "
              "到 2025 年 1 月修复之前的内核（修复见 6.13，以及 6.1.125、6.6.72、6.12.10）"
              "一个连接也接不进来。"},
    "backlog.note.assumed": {
        "en": "No kernel release or somaxconn given: assuming 4096, the default since Linux 5.4.",
        "zh": "没有填写内核版本或 somaxconn：按 Linux 5.4 起的默认值 4096 计算。"},
    "backlog.passed": {"en": "Reaches listen() (after the server's own rules)",
                       "zh": "实际传给 listen() 的值（经过服务器自身的处理）"},
    "backlog.refused.headline": {
        "en": "{server} does not start with this value: it never calls listen()",
        "zh": "{server} 用这个值根本起不来：它不会调用 listen()"},
    # --- sizing ----------------------------------------------------------------------------
    "backlog.size.headline": {"en": "Set the backlog to {backlog} and net.core.somaxconn to at "
                                    "least {somaxconn}",
                              "zh": "把 backlog 设为 {backlog}，net.core.somaxconn 至少设为 {somaxconn}"},
    "backlog.size.why": {"en": "How this is worked out", "zh": "推算过程"},
    "backlog.size.little": {
        "en": "{rate} new connections per second while accept() stalls for {ms} ms: about {n} "
              "connections arrive before the application takes the next one (rate × time).",
        "zh": "每秒 {rate} 个新连接，accept() 停顿 {ms} 毫秒：在应用取走下一个连接之前，"
              "大约会到达 {n} 个连接（速率 × 时间）。"},
    "backlog.size.burst": {"en": "A burst of {n} connections arriving at once must fit too.",
                           "zh": "同一时刻涌入的 {n} 个连接也必须排得下。"},
    "backlog.size.headroom": {
        "en": "At most {waiting} connections wait; doubled for headroom and rounded up to a "
              "power of two minus one (at least 127): backlog {backlog}.",
        "zh": "最多有 {waiting} 个连接在排队；留出一倍余量，再向上取到 2 的幂减 1"
              "（至少 127）：backlog 取 {backlog}。"},
    "backlog.size.somaxconn": {
        "en": "net.core.somaxconn must be at least {backlog} or the kernel silently caps the "
              "backlog; recommended: {somaxconn} (never below the kernel's default).",
        "zh": "net.core.somaxconn 必须不小于 {backlog}，否则内核会悄悄截断 backlog；"
              "建议值 {somaxconn}（不低于内核默认值）。"},
    "backlog.size.reaches": {
        "en": "With these settings {server} passes {arg} to listen(); the kernel uses {effective} "
              "(ss -lnt shows Send-Q {effective}), so {capacity} connections can wait.",
        "zh": "按这些设置，{server} 传给 listen() 的是 {arg}；内核实际采用 {effective}"
              "（ss -lnt 的 Send-Q 显示 {effective}），最多可排 {capacity} 个连接。"},
    "backlog.size.short": {
        "en": "That is fewer than the {waiting} connections that may wait: only {capacity} fit "
              "on this kernel and server. Spread the load over more listeners or workers "
              "instead of a larger backlog.",
        "zh": "这比可能排队的 {waiting} 个连接少：在这个内核和服务器上最多只能排 {capacity} 个。"
              "与其继续加大 backlog，不如把负载分到更多监听套接字或工作进程上。"},
    "backlog.size.sysctl": {"en": "Paste into a sysctl.d file:",
                            "zh": "写入 sysctl.d 配置文件："},
    "backlog.size.directive": {"en": "And in {server}:", "zh": "在 {server} 中这样写："},
    # --- diagnosis -------------------------------------------------------------------------
    "backlog.diag.headline": {"en": "{n} listening sockets, {full} with a full accept queue",
                              "zh": "{n} 个监听套接字，其中 {full} 个全连接队列已满"},
    "backlog.diag.caption": {"en": "Accept queue of each listener (Recv-Q of Send-Q + 1)",
                             "zh": "各监听套接字的全连接队列（Recv-Q / (Send-Q + 1)）"},
    "backlog.diag.local": {"en": "Listening on", "zh": "监听地址"},
    "backlog.diag.queued": {"en": "Waiting (Recv-Q)", "zh": "排队中（Recv-Q）"},
    "backlog.diag.limit": {"en": "Limit (Send-Q)", "zh": "上限（Send-Q）"},
    "backlog.diag.fill": {"en": "Fill", "zh": "占用"},
    "backlog.diag.level": {"en": "Reading", "zh": "判断"},
    "backlog.level.ok": {"en": "fine", "zh": "正常"},
    "backlog.level.high": {"en": "nearly full", "zh": "接近满"},
    "backlog.level.full": {"en": "FULL: new connections are dropped",
                           "zh": "已满：新连接会被丢弃"},
    "backlog.diag.counters": {"en": "Counters", "zh": "计数器"},
    "backlog.read.overflows": {
        "en": "ListenOverflows {n}: {n} times a connection found an accept queue full "
              "(its SYN or its final ACK was dropped).",
        "zh": "ListenOverflows {n}：有 {n} 次连接到来时全连接队列已满（SYN 或握手最后的 ACK 被丢弃）。"},
    "backlog.read.no_overflows": {
        "en": "ListenOverflows 0: no accept queue has overflowed (netstat -s and nstat leave "
              "out counters that are zero, and plain nstat those unchanged since its last run).",
        "zh": "ListenOverflows 0：没有全连接队列溢出过（netstat -s 和 nstat 不显示为零的计数器，"
              "不带参数的 nstat 也不显示自上次运行以来没变的计数器）。"},
    "backlog.read.drops": {"en": "ListenDrops {n}: packets dropped at listening sockets, "
                                 "overflows included.",
                           "zh": "ListenDrops {n}：监听套接字丢弃的包，包含队列溢出。"},
    "backlog.read.other_drops": {
        "en": "ListenDrops {n}: {other} of them are not overflows (for example no memory, or a "
              "full SYN queue without SYN cookies).",
        "zh": "ListenDrops {n}：其中 {other} 次不是队列溢出（例如内存不足，或关闭 SYN cookies "
              "时半连接队列已满）。"},
    "backlog.read.synq_drop": {
        "en": "TCPReqQFullDrop {n}: the SYN queue was full and SYN cookies were off, so SYNs "
              "were dropped.",
        "zh": "TCPReqQFullDrop {n}：半连接队列已满且没有启用 SYN cookies，SYN 被丢弃。"},
    "backlog.read.synq_cookies": {
        "en": "TCPReqQFullDoCookies {n}: the SYN queue was full and SYN cookies answered "
              "instead (a flood, or a backlog too small for the burst).",
        "zh": "TCPReqQFullDoCookies {n}：半连接队列已满，改用 SYN cookies 应答"
              "（遭遇 SYN 洪泛，或 backlog 太小扛不住突发）。"},
    "backlog.read.cookies_sent": {"en": "SyncookiesSent {n}, of which {ok} came back valid.",
                                  "zh": "SyncookiesSent {n}，其中 {ok} 个被客户端有效回应。"},
    "backlog.read.cookies_failed": {"en": "SyncookiesFailed {n}: ACKs with an invalid cookie.",
                                    "zh": "SyncookiesFailed {n}：携带无效 cookie 的 ACK。"},
    "backlog.read.nstat_empty": {
        "en": "nstat printed no counter at all: plain nstat shows only counters that changed "
              "since its last run, so nothing overflowed since then; it does not show the "
              "totals (nstat -az does).",
        "zh": "nstat 一个计数器也没打印：不带参数的 nstat 只显示自上次运行以来变化过的计数器，"
              "说明这段时间里没有溢出；它不显示累计值（要看累计值用 nstat -az）。"},
    "backlog.read.none": {"en": "No counters pasted: nstat -az | grep -i -e listen -e reqq -e "
                                "cookie shows them.",
                          "zh": "没有粘贴计数器：可以用 nstat -az | grep -i -e listen -e reqq -e "
                                "cookie 查看。"},
    "backlog.read.skipped": {"en": "{n} lines that are not listening sockets were ignored: for "
                                   "them Recv-Q and Send-Q count bytes, not connections.",
                             "zh": "忽略了 {n} 行非监听套接字：对它们来说 Recv-Q 和 Send-Q "
                                   "表示字节数，而不是连接数。"},
}
