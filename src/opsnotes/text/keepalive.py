"""Messages of the TCP keepalive model and calculator."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors ----------------------------------------------------------------------------
    "keepalive.out_of_range": {
        "en": "{field}: {value} is outside what {api} accepts ({low} to {high}).",
        "zh": "{field}：{value} 超出了 {api} 接受的范围（{low} 到 {high}）。",
    },
    "keepalive.probes_range": {
        "en": "{field}: {value} is outside what {api} accepts since Linux 5.13 ({low} to "
              "{high}); older kernels (RHEL 7, RHEL 8) take any int, but count probes in 8 bits, "
              "so above 255 the connection would never be given up.",
        "zh": "{field}：{value} 超出了 Linux 5.13 起 {api} 接受的范围（{low} 到 {high}）；"
              "更早的内核（RHEL 7、RHEL 8）什么整数都收，但只用 8 位计数探测，"
              "大于 255 时连接永远不会被放弃。",
    },
    "keepalive.sysctl_meaningless": {
        "en": "{field}: the kernel accepts {api} = {value}, but a time below 1 second makes "
              "no sense; use 1 to {high} seconds.",
        "zh": "{field}：内核虽然接受 {api} = {value}，但小于 1 秒的时间没有意义；"
              "请使用 1 到 {high} 秒。",
    },
    "keepalive.middlebox_range": {
        "en": "{field}: {value} must be at least 1 second (leave it empty if there is no middlebox).",
        "zh": "{field}：{value} 至少应为 1 秒（路径上没有中间设备就留空）。",
    },
    # --- form ---------------------------------------------------------------------------------
    "keepalive.preset.aws": {"en": "Through AWS's 350 s idle timeout",
                             "zh": "穿过 AWS 的 350 秒空闲超时"},
    "keepalive.preset.gcp_defaults": {"en": "Kernel defaults behind GCP's 10-minute firewall",
                                      "zh": "内核默认值遇上 GCP 防火墙的 10 分钟"},
    "keepalive.preset.fast": {"en": "Fail over fast: TCP_USER_TIMEOUT 30 s",
                              "zh": "快速切换：TCP_USER_TIMEOUT 30 秒"},
    # Comments in the code the calculator generates (opsnotes.keepalive): one line per "\n".
    "keepalive.code.sysctl_file": {
        "en": "/etc/sysctl.d/60-tcp-keepalive.conf  (apply: sysctl --system)",
        "zh": "/etc/sysctl.d/60-tcp-keepalive.conf（生效：sysctl --system）"},
    "keepalive.code.sysctl_about": {
        "en": "Defaults for sockets that enable SO_KEEPALIVE without setting their own values;\n"
              "per network namespace since Linux 4.5 (a container starts at the kernel defaults,\n"
              "not these); IPv6 TCP uses these net.ipv4 settings too.",
        "zh": "开启了 SO_KEEPALIVE、但没有自己设置这三个值的套接字，用这里的默认值；\n"
              "从 Linux 4.5 起按网络命名空间分别生效（容器从内核默认值开始，\n"
              "不用这里的值）；IPv6 的 TCP 也读这几个 net.ipv4 参数。"},
    "keepalive.code.c_fd": {
        "en": "fd: a connected or listening TCP socket (accepted sockets inherit these).",
        "zh": "fd：已连接或正在监听的 TCP 套接字（accept() 得到的套接字会继承这些值）。"},
    "keepalive.code.go_version": {"en": "Go 1.23 or later: net.KeepAliveConfig sets all three values.",
                                  "zh": "Go 1.23 及以上：net.KeepAliveConfig 一次设置全部三个值。"},
    "keepalive.code.go_user_timeout": {
        "en": "TCP_USER_TIMEOUT has no field: set it on the raw socket (golang.org/x/sys/unix).",
        "zh": "TCP_USER_TIMEOUT 没有对应字段：在原始套接字上设置（golang.org/x/sys/unix）。"},
    "keepalive.code.java_version": {
        "en": "Java 11 or later, on Linux; socket: a java.net.Socket or SocketChannel.",
        "zh": "Java 11 及以上，Linux 上；socket 是 java.net.Socket 或 SocketChannel。"},
    "keepalive.code.java_user_timeout": {
        "en": "The JDK has no TCP_USER_TIMEOUT option: set it natively or rely on timeouts.",
        "zh": "JDK 没有 TCP_USER_TIMEOUT 选项：用本地代码设置，或者依靠应用层超时。"},
    "keepalive.code.node_fixed": {
        "en": "Node.js sets SO_KEEPALIVE and TCP_KEEPIDLE from the delay, and then\n"
              "TCP_KEEPINTVL = 1 and TCP_KEEPCNT = 10 (traced on Node 20). A delay under 1000 ms,\n"
              "or none, sets only SO_KEEPALIVE: the socket keeps the sysctls, or libuv's\n"
              "60 s, 1 s and 10 if it had not connected yet.",
        "zh": "Node.js 按第二个参数（毫秒）设置 SO_KEEPALIVE 和 TCP_KEEPIDLE，接着设\n"
              "TCP_KEEPINTVL = 1、TCP_KEEPCNT = 10（在 Node 20 上跟踪实测）。延迟不到 1000 毫秒\n"
              "或不给延迟时只设 SO_KEEPALIVE：套接字保留 sysctl 的值，还没连上时\n"
              "则是 libuv 的 60 秒、1 秒和 10 次。"},
    "keepalive.code.node_no_api": {
        "en": ("Node 20 has no API for interval {intvl} s and count {cnt}: "
               "this socket gives up after {total} s."),
        "zh": "Node 20 无法设置间隔 {intvl} 秒、次数 {cnt}：这个套接字 {total} 秒后放弃。"},
    "keepalive.code.node_user_timeout": {"en": "Node has no API for TCP_USER_TIMEOUT.",
                                         "zh": "Node 没有设置 TCP_USER_TIMEOUT 的接口。"},
    "calc.title.keepalive": {"en": "Keepalive timing calculator", "zh": "保活时间计算器"},
    "calc.summary.keepalive": {"en": "time until TCP keepalive declares a dead peer, and config for it",
                               "zh": "TCP keepalive 判定对端失联要多久，以及相应的配置"},
    "keepalive.field.via": {"en": "Set through", "zh": "设置方式"},
    "keepalive.field.via.socket": {"en": "socket options (setsockopt)", "zh": "套接字选项（setsockopt）"},
    "keepalive.field.via.sysctl": {"en": "system-wide sysctls", "zh": "系统级 sysctl"},
    "keepalive.field.idle": {"en": "Idle time before the first probe (s)",
                             "zh": "首次探测前的空闲时间（秒）"},
    "keepalive.field.intvl": {"en": "Interval between probes (s)", "zh": "探测间隔（秒）"},
    "keepalive.field.cnt": {"en": "Unanswered probes before giving up", "zh": "放弃前允许无应答的探测次数"},
    "keepalive.field.user_timeout": {"en": "TCP_USER_TIMEOUT (ms, 0: not set)",
                                     "zh": "TCP_USER_TIMEOUT（毫秒，0 表示不设置）"},
    "keepalive.field.in_flight": {"en": "Data is waiting for an acknowledgement",
                                  "zh": "有已发送但尚未确认的数据"},
    "keepalive.field.middlebox": {"en": "Idle timeout of a firewall/NAT/LB on the path (s, empty: none)",
                                  "zh": "路径上防火墙/NAT/负载均衡的空闲超时（秒，留空表示没有）"},
    "keepalive.field.hz": {"en": "Kernel CONFIG_HZ (limits of the sysctls)",
                           "zh": "内核 CONFIG_HZ（决定 sysctl 的上限）"},
    "keepalive.field.hz.100": {"en": "100", "zh": "100"},
    "keepalive.field.hz.250": {"en": "250 (Debian, Ubuntu)", "zh": "250（Debian、Ubuntu）"},
    "keepalive.field.hz.300": {"en": "300", "zh": "300"},
    "keepalive.field.hz.1000": {"en": "1000 (RHEL, Fedora)", "zh": "1000（RHEL、Fedora）"},
    # --- result --------------------------------------------------------------------------------
    "keepalive.headline": {"en": "Dead peer detected after {human} ({seconds} s)",
                           "zh": "{human}（{seconds} 秒）后判定对端已失联"},
    "keepalive.headline_min": {"en": "Dead peer detected after at least {human} ({seconds} s)",
                               "zh": "至少 {human}（{seconds} 秒）后才判定对端已失联"},
    "keepalive.by.keepalive": {
        "en": "Keepalive decides: idle {idle} s + {cnt} probes × {intvl} s.",
        "zh": "由保活机制决定：空闲 {idle} 秒 + {cnt} 次探测 × {intvl} 秒。",
    },
    "keepalive.by.user_timeout": {
        "en": "TCP_USER_TIMEOUT decides: the kernel gives up at the first keepalive timer "
              "that finds the peer silent for {ut} ms, after {probes} probes; the probe count "
              "({cnt}) is ignored.",
        "zh": "由 TCP_USER_TIMEOUT 决定：保活定时器第一次发现对端已沉默 {ut} 毫秒时就放弃，"
              "此时已发出 {probes} 次探测；探测次数（{cnt}）不再起作用。",
    },
    "keepalive.by.user_timeout_flight": {
        "en": "Data is waiting for an acknowledgement, so keepalive sends nothing; "
              "TCP_USER_TIMEOUT ({ut} ms) replaces tcp_retries2 and counts from the first "
              "retransmission by timeout, so the error comes a constant time later than the "
              "user timeout (measured on a fast link: about 0.4 s, a tail loss probe plus one "
              "RTO; more on slower paths).",
        "zh": "有数据在等待确认，保活不会发送任何探测；TCP_USER_TIMEOUT（{ut} 毫秒）取代 "
              "tcp_retries2，并从第一次超时重传起计时，所以错误总比用户超时晚一个固定时间"
              "（在快速链路上实测约 0.4 秒：一次尾部丢包探测加一个 RTO；路径越慢越久）。",
    },
    "keepalive.by.retransmission": {
        "en": "Data is waiting for an acknowledgement, so keepalive sends nothing; "
              "retransmissions decide (tcp_retries2 = 15, starting from the 200 ms minimum "
              "RTO), checked only when a retransmission timer fires, so the real time is "
              "longer; slower paths take longer still. TCP_USER_TIMEOUT replaces this limit, "
              "shorter or longer.",
        "zh": "有数据在等待确认，保活不会发送任何探测；由重传决定（tcp_retries2 = 15，"
              "从最小 RTO 200 毫秒开始退避），而且只在重传定时器到期时检查，所以实际更久；"
              "路径越慢耗时越长。TCP_USER_TIMEOUT 会取代这个上限，可能更短，也可能更长。",
    },
    "keepalive.late": {
        "en": "That is the earliest: kernel timers never fire early, but the timer wheel "
              "(Linux 4.8 and later) may run each one late by its level's granularity, at "
              "most 8/63 (12.7 %) of the timeout, so allow up to {latest} s at this HZ.",
        "zh": "这是最早的时间：内核定时器从不提前触发，但时间轮（Linux 4.8 起）可能让每个"
              "定时器推迟最多一个所在层级的粒度，即超时的 8/63（12.7%），"
              "所以在这个 HZ 下要按最晚 {latest} 秒考虑。",
    },
    "keepalive.timeline": {"en": "Timeline (seconds after the last segment received from the peer)",
                           "zh": "时间线（从最后一次收到对端报文算起的秒数）"},
    "keepalive.col.time": {"en": "Time (s)", "zh": "时间（秒）"},
    "keepalive.col.event": {"en": "What happens", "zh": "发生了什么"},
    "keepalive.event.last": {"en": "last segment received; the idle timer starts",
                             "zh": "收到最后一个报文，空闲计时开始"},
    "keepalive.event.probe": {"en": "probe {n} sent, no answer", "zh": "发出第 {n} 次探测，无应答"},
    "keepalive.event.elided": {"en": "… one probe every {intvl} s …",
                               "zh": "……每 {intvl} 秒一次探测……"},
    "keepalive.event.dead": {"en": "reset sent; the application gets ETIMEDOUT",
                             "zh": "发送 RST；应用程序收到 ETIMEDOUT"},
    "keepalive.error": {
        "en": "What the application sees: the next recv()/send() fails with ETIMEDOUT "
              "(“Connection timed out”; Python: TimeoutError). After that recv() returns 0 "
              "(end of file) and send() fails with EPIPE.",
        "zh": "应用程序看到的是：下一次 recv()/send() 失败，错误为 ETIMEDOUT"
              "（“Connection timed out”，Python 中是 TimeoutError）。此后 recv() 返回 0"
              "（文件结束），send() 返回 EPIPE。",
    },
    "keepalive.icmp_flight": {
        "en": "If a router on the path answers with ICMP errors (host unreachable), the "
              "application gets that error instead, for example EHOSTUNREACH.",
        "zh": "如果路径上的路由器回了 ICMP 错误（主机不可达），应用程序拿到的就是那个错误，"
              "例如 EHOSTUNREACH。",
    },
    "keepalive.reboot": {
        "en": "If the peer rebooted instead, its reset answers the first probe at {idle} s: "
              "ECONNRESET.",
        "zh": "如果对端是重启了，它会在 {idle} 秒时用 RST 回应第一次探测：ECONNRESET。",
    },
    "keepalive.middlebox.ok": {
        "en": "An idle connection survives the middlebox: a probe every {idle} s, at worst "
              "{worst} s with a late timer, is shorter than its {timeout} s idle timeout "
              "(margin {margin} s).",
        "zh": "空闲连接不会被该中间设备清掉：每 {idle} 秒一次探测，定时器推迟时最坏 {worst} 秒，"
              "仍短于它 {timeout} 秒的空闲超时（余量 {margin} 秒）。",
    },
    "keepalive.middlebox.tight": {
        "en": "An idle connection survives the middlebox only if the timer runs on time: a "
              "probe every {idle} s is shorter than its {timeout} s idle timeout, but the "
              "timer wheel may delay it to {worst} s. Set the idle time and the interval to "
              "at most {safe} s.",
        "zh": "只有定时器准时触发，空闲连接才不会被该中间设备清掉：每 {idle} 秒一次探测虽短于"
              "它 {timeout} 秒的空闲超时，但时间轮可能把它推迟到 {worst} 秒。"
              "请把空闲时间和探测间隔都设为不超过 {safe} 秒。",
    },
    "keepalive.middlebox.dropped": {
        "en": "An idle connection does NOT survive the middlebox: it forgets the flow after "
              "{timeout} s, before the next probe at {idle} s. Set the idle time and the "
              "interval to at most {safe} s.",
        "zh": "空闲连接会被该中间设备清掉：它在 {timeout} 秒后就忘掉了这条连接，"
              "而下一次探测要到 {idle} 秒才发。请把空闲时间和探测间隔都设为不超过 {safe} 秒。",
    },
    "keepalive.validation": {"en": "Validation against the API the values go through",
                             "zh": "按设置接口的取值范围逐项校验"},
    "keepalive.col.setting": {"en": "Setting", "zh": "设置项"},
    "keepalive.col.value": {"en": "Value", "zh": "取值"},
    "keepalive.col.range": {"en": "Accepted", "zh": "允许范围"},
    "keepalive.col.ok": {"en": "Valid", "zh": "是否有效"},
    "keepalive.valid": {"en": "yes", "zh": "是"},
    "keepalive.invalid.socket": {"en": "no: setsockopt fails with EINVAL",
                                 "zh": "否：setsockopt 返回 EINVAL"},
    "keepalive.invalid.sysctl": {"en": "no: sysctl -w fails with EINVAL",
                                 "zh": "否：sysctl -w 返回 EINVAL"},
    "keepalive.invalid.sysctl_probes": {
        "en": "no: EINVAL since Linux 5.13; older kernels take it and never give up",
        "zh": "否：Linux 5.13 起返回 EINVAL；更早的内核会接受，但永远不会放弃连接"},
    "keepalive.invalid.meaningless": {"en": "accepted by the kernel, but meaningless",
                                      "zh": "内核接受，但没有意义"},
    "keepalive.socket_note": {
        "en": "These options do nothing until SO_KEEPALIVE is on for the socket.",
        "zh": "只有为该套接字打开 SO_KEEPALIVE，这些选项才会生效。",
    },
    "keepalive.sysctl_note": {
        "en": "The sysctls are defaults for sockets that turn on SO_KEEPALIVE without setting "
              "their own values; since Linux 4.5 they are per network namespace (a new one, "
              "such as a container's, starts at the kernel defaults 7200/75/9), and there is no "
              "sysctl for TCP_USER_TIMEOUT.",
        "zh": "这些 sysctl 只是默认值，作用于打开了 SO_KEEPALIVE 却没有自行设置参数的套接字；"
              "从 Linux 4.5 起它们按网络命名空间生效（新建的命名空间，比如容器的，从内核默认值 "
              "7200/75/9 开始），而且 TCP_USER_TIMEOUT 没有对应的 sysctl。",
    },
    "keepalive.no_socket_code": {
        "en": "No per-socket code: {reason}",
        "zh": "不生成套接字代码：{reason}",
    },
    "keepalive.no_sysctl_file": {
        "en": "No sysctl.d file: {reason}",
        "zh": "不生成 sysctl.d 文件：{reason}",
    },
    "keepalive.config": {"en": "Configuration to paste", "zh": "可直接粘贴的配置"},
    "keepalive.lang.sysctl": {"en": "sysctl.d file", "zh": "sysctl.d 文件"},
    "keepalive.lang.c": {"en": "C", "zh": "C"},
    "keepalive.lang.python": {"en": "Python", "zh": "Python"},
    "keepalive.lang.go": {"en": "Go", "zh": "Go"},
    "keepalive.lang.java": {"en": "Java", "zh": "Java"},
    "keepalive.lang.node": {"en": "Node.js", "zh": "Node.js"},
    "keepalive.unit.d": {"en": "{n} d", "zh": "{n} 天"},
    "keepalive.unit.h": {"en": "{n} h", "zh": "{n} 小时"},
    "keepalive.unit.min": {"en": "{n} min", "zh": "{n} 分"},
    "keepalive.unit.s": {"en": "{n} s", "zh": "{n} 秒"},
}
