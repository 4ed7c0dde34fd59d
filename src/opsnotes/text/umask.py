"""Messages of the umask model and calculator."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors: umask -------------------------------------------------------------------
    "not_octal_digit": {
        "en": "'{value}' is not an octal number: '{char}' is not a digit from 0 to 7.",
        "zh": "“{value}”不是八进制数：“{char}”不是 0 到 7 之间的数字。",
    },
    "umask_out_of_range": {
        "en": "umask {value} is out of range: the largest bash accepts is 07777, "
              "and only 0777 of it is used.",
        "zh": "umask {value} 超出范围：bash 最多接受 07777，而且只有其中的 0777 起作用。",
    },
    "mode_out_of_range": {
        "en": "Mode {value} is out of range: a mode has at most four octal digits (0000 to 7777).",
        "zh": "权限 {value} 超出范围：权限最多四位八进制数（0000 到 7777）。",
    },
    "symbolic_missing_operator": {
        "en": "Clause {number} ({clause}) has no operator: write who, then one of + - =, "
              "then permissions, e.g. g-w or u=rwx.",
        "zh": "第 {number} 段（{clause}）缺少运算符：先写对象，再写 + - = 之一，"
              "再写权限，例如 g-w 或 u=rwx。",
    },
    "symbolic_bad_operator": {
        "en": "In '{clause}', '{char}' is neither a who letter (u g o a) nor an operator (+ - =).",
        "zh": "“{clause}”中的“{char}”既不是对象字母（u g o a），也不是运算符（+ - =）。",
    },
    "symbolic_bad_permission": {
        "en": "In '{clause}', '{char}' is not a permission umask understands: only r, w and x "
              "(one operator per clause, as in bash).",
        "zh": "“{clause}”中的“{char}”不是 umask 认识的权限：只能是 r、w、x"
              "（和 bash 一样，每段只能有一个运算符）。",
    },
    "umask_blank": {
        "en": "'{value}' contains a blank: bash's umask refuses it (type the mode without spaces).",
        "zh": "“{value}”里有空白字符：bash 的 umask 不接受（写模式时不要带空格）。",
    },
    "umask_needs_current": {
        "en": "'{value}' changes the current mask rather than replacing it (bash applies + and -, "
              "and = for the classes it names, to the mask in force): give the current umask too "
              "(what 'umask' prints in that shell).",
        "zh": "“{value}”是在当前掩码上修改，而不是整个替换（bash 把 +、- 以及只写了部分对象的 = "
              "作用在当前生效的掩码上）：请同时给出当前的 umask（在那个 shell 里运行 umask 看到的值）。",
    },
    "current_relative": {
        "en": "'{value}' is itself relative: the current umask is what 'umask' prints (e.g. 0022) "
              "or what 'umask -S' prints (e.g. u=rwx,g=rx,o=rx).",
        "zh": "“{value}”本身就是相对写法：当前的 umask 应该填 umask 的输出（例如 0022），"
              "或 umask -S 的输出（例如 u=rwx,g=rx,o=rx）。",
    },
    "symbolic_leading_dash": {
        "en": "'{value}' starts with '-', which the umask command reads as an option; "
              "write '{fixed}' instead.",
        "zh": "“{value}”以“-”开头，umask 命令会把它当成选项；请写成“{fixed}”。",
    },
    "bad_kind": {
        "en": "Unknown kind '{value}': choose file or dir.",
        "zh": "未知的类型“{value}”：请选择 file（文件）或 dir（目录）。",
    },
    "acl_bad_entry": {
        "en": "ACL entry '{entry}' is not one setfacl accepts: u::rwx, g::r-x, u:ID:rw-, "
              "g:ID:r--, m::r-x or o::--- (no blank at the start of an entry).",
        "zh": "ACL 条目“{entry}”setfacl 不接受，应形如 u::rwx、g::r-x、u:ID:rw-、g:ID:r--、"
              "m::r-x 或 o::---（条目开头不能有空格）。",
    },
    "acl_bad_permission": {
        "en": "ACL entry '{entry}': the permissions must be letters from r, w, x, X and -, or "
              "one octal digit ('{char}' is not).",
        "zh": "ACL 条目“{entry}”：权限只能由 r、w、x、X、- 组成，或者是一位八进制数字"
              "（“{char}”不符合）。",
    },
    "acl_missing_entry": {
        "en": "{entry} is missing: setfacl copies it from the directory's own mode; give the "
              "parent directory's mode, or write u::, g:: and o:: out.",
        "zh": "缺少 {entry}：setfacl 会从目录自身的权限里复制这一项；请填上父目录的权限，"
              "或者把 u::、g::、o:: 都写出来。",
    },
    # --- form labels (also used to name the field an error is about) ------------------------
    "umask.preset.service": {"en": "Service, UMask=0027", "zh": "服务：UMask=0027"},
    "umask.preset.private": {"en": "Private: umask 077", "zh": "私有：umask 077"},
    "umask.preset.shared_dir": {"en": "Shared team directory (setgid, umask 002)",
                                "zh": "团队共享目录（setgid，umask 002）"},
    "umask.config.title": {"en": "Make {umask} the default",
                           "zh": "把 {umask} 设为默认值"},
    "umask.config.systemd": {
        "en": "For a service: {cmd} (it writes override.conf), then restart the service:",
        "zh": "服务：运行 {cmd}（NAME 换成服务名，它会写入 override.conf），然后重启该服务："},
    "umask.config.login_defs": {
        "en": "For login sessions, through pam_umask, in /etc/login.defs (on RHEL 8 and 9, bash's "
              "/etc/profile and /etc/bashrc set the umask again after it):",
        "zh": "登录会话（经由 pam_umask）：写在 /etc/login.defs 中（RHEL 8 和 9 上，bash 的 "
              "/etc/profile 和 /etc/bashrc 会在它之后再次设置 umask）："},
    "umask.config.pam": {
        "en": "Or in the PAM session stack: /etc/pam.d/common-session (Debian, Ubuntu) or "
              "/etc/pam.d/postlogin (RHEL 8, 9):",
        "zh": "或者写进 PAM 会话配置：/etc/pam.d/common-session（Debian、Ubuntu）或 "
              "/etc/pam.d/postlogin（RHEL 8、9）："},
    "calc.title.umask": {"en": "umask calculator", "zh": "umask 计算器"},
    "calc.summary.umask": {"en": "modes of new files and directories under a umask",
                           "zh": "在某个 umask 下新建文件和目录的权限"},
    "umask.field.umask": {"en": "umask (octal or symbolic)", "zh": "umask（八进制或符号表示）"},
    "umask.field.current": {"en": "Current umask, for g+w, o-r … (what umask prints; empty: none)",
                            "zh": "当前的 umask，用于 g+w、o-r 这类相对写法（umask 的输出；留空：不指定）"},
    "umask.field.kind": {"en": "What is created", "zh": "创建的对象"},
    "umask.field.requested": {"en": "Requested mode (empty: the program default)",
                              "zh": "请求的权限（留空：程序默认值）"},
    "umask.field.parent_setgid": {"en": "Parent directory has setgid", "zh": "父目录设置了 setgid"},
    "umask.field.parent_mode": {"en": "Parent directory's mode (for ACL entries left out; "
                                      "empty: unknown)",
                                "zh": "父目录自身的权限（用于 ACL 中没写的条目；留空：未知）"},
    "umask.field.default_acl": {"en": "Parent's default ACL (empty: none)",
                                "zh": "父目录的默认 ACL（留空：无）"},
    "umask.field.kind.file": {"en": "regular file (touch, open: 0666)",
                              "zh": "普通文件（touch、open：0666）"},
    "umask.field.kind.dir": {"en": "directory (mkdir: 0777)", "zh": "目录（mkdir：0777）"},
    # --- umask results ---------------------------------------------------------------------
    "umask.result": {"en": "New {kind}: {octal}", "zh": "新{kind}：{octal}"},
    "umask.kind.file": {"en": "file", "zh": "文件"},
    "umask.kind.dir": {"en": "directory", "zh": "目录"},
    "umask.octal": {"en": "Octal", "zh": "八进制"},
    "umask.symbolic": {"en": "Symbolic", "zh": "符号表示"},
    "umask.ls": {"en": "ls -l", "zh": "ls -l"},
    "umask.mask_line": {"en": "umask {octal} (umask -S: {symbolic}); requested {requested}",
                        "zh": "umask {octal}（umask -S：{symbolic}）；请求的权限 {requested}"},
    "umask.relative": {"en": "{mode} applied to the current umask {current} gives {octal}: bash "
                             "changes only the classes and permissions the mode names.",
                       "zh": "{mode} 作用在当前的 umask {current} 上，得到 {octal}：bash 只改动"
                             "模式里写到的对象和权限，其余保持不变。"},
    "umask.folded": {"en": "Read as {ascii}: full-width characters and capital letters are taken "
                           "as their ASCII lower-case forms here, but bash's umask refuses them, "
                           "so type {ascii} there.",
                     "zh": "已按 {ascii} 计算：这里把全角字符和大写字母当作对应的半角小写字母，但 bash "
                           "的 umask 不认它们，在 shell 里请输入 {ascii}。"},
    "umask.steps.title": {"en": "What the kernel computes, in order", "zh": "内核依次做的运算"},
    "umask.step.mkdir_limit": {
        "en": "mkdir(2) keeps only the rwx bits and the sticky bit (S_IRWXUGO | S_ISVTX).",
        "zh": "mkdir(2) 只保留 rwx 位和粘滞位（S_IRWXUGO | S_ISVTX）。"},
    "umask.step.umask": {
        "en": "The umask's bits are cleared (AND NOT); the umask never holds special bits.",
        "zh": "清除 umask 中为 1 的位（AND NOT）；umask 本身不含特殊位。"},
    "umask.step.acl": {
        "en": "The parent has a default ACL: the mode is limited by its owner, mask (or group) "
              "and other entries, special bits pass, and the umask is not used.",
        "zh": "父目录有默认 ACL：权限受其属主、mask（没有 mask 时为属组）和其他人条目限制，"
              "特殊位不受影响，umask 不参与计算。"},
    "umask.step.setgid_dir": {
        "en": "The parent directory has setgid, so the new directory gets setgid too.",
        "zh": "父目录设置了 setgid，所以新目录也会带上 setgid。"},
    "umask.table.caption": {"en": "Bit by bit: {equation}", "zh": "逐位计算：{equation}"},
    "umask.table.step.mkdir_limit": {"en": "mkdir limit (&)", "zh": "mkdir 上限（&）"},
    "umask.table.step.umask": {"en": "umask (& ~)", "zh": "umask（& ~）"},
    "umask.table.step.acl": {"en": "ACL limit (&)", "zh": "ACL 上限（&）"},
    "umask.table.step.setgid_dir": {"en": "setgid (|)", "zh": "setgid（|）"},
    "umask.table.class": {"en": "Class", "zh": "对象"},
    "umask.table.requested": {"en": "Requested", "zh": "请求"},
    "umask.table.result": {"en": "Result", "zh": "结果"},
    "umask.class.u": {"en": "owner (u)", "zh": "属主（u）"},
    "umask.class.g": {"en": "group (g)", "zh": "属组（g）"},
    "umask.class.o": {"en": "others (o)", "zh": "其他人（o）"},
    "umask.class.special": {"en": "special (s s t)", "zh": "特殊位（s s t）"},
    "umask.removed.title": {"en": "What changed and why", "zh": "哪些位变了，为什么"},
    "umask.removed.none": {"en": "Nothing was removed: the umask has no bit in common with the "
                                 "requested mode.",
                           "zh": "没有位被去掉：umask 与请求的权限没有重叠的位。"},
    "umask.removed.none_acl": {"en": "Nothing was removed: the default ACL grants every "
                                     "requested bit.",
                               "zh": "没有位被去掉：默认 ACL 授予了请求中的每一位。"},
    "umask.removed.by_umask": {"en": "{bit} ({who} {perm}) removed: the umask has this bit set.",
                               "zh": "{bit}（{who} {perm}）被去掉：umask 中这一位是 1。"},
    "umask.removed.by_acl": {"en": "{bit} ({who} {perm}) removed: the parent's default ACL does "
                                   "not grant it.",
                             "zh": "{bit}（{who} {perm}）被去掉：父目录的默认 ACL 没有授予这一位。"},
    "umask.removed.mkdir_special": {
        "en": "{bit} ({name}) dropped: mkdir(2) ignores setuid and setgid in its mode argument.",
        "zh": "{bit}（{name}）被丢弃：mkdir(2) 会忽略 mode 参数里的 setuid 和 setgid。"},
    "umask.added.setgid": {
        "en": "{bit} (setgid) added: a directory created in a setgid directory inherits setgid.",
        "zh": "{bit}（setgid）被加上：在设置了 setgid 的目录里新建的目录会继承 setgid。"},
    "umask.kept_special": {
        "en": "{bit} ({name}) kept: the umask only covers the nine rwx bits.",
        "zh": "{bit}（{name}）保留：umask 只管 rwx 这九个位。"},
    "umask.not_subtraction": {
        "en": "Not subtraction: {left} − {umask} digit by digit would give {wrong}, but the "
              "kernel computes {left} & ~{umask} = {right}.",
        "zh": "不是减法：{left} 逐位减 {umask} 会得到 {wrong}，但内核算的是 "
              "{left} & ~{umask} = {right}。"},
    "umask.not_subtraction_negative": {
        "en": "Not subtraction: {left} − {umask} digit by digit gives a negative digit; the "
              "kernel computes {left} & ~{umask} = {right}.",
        "zh": "不是减法：{left} 逐位减 {umask} 会出现负数；内核算的是 "
              "{left} & ~{umask} = {right}。"},
    "umask.try": {"en": "Try it on your machine (bash, GNU coreutils)",
                  "zh": "在你的机器上验证（bash、GNU coreutils）"},
    "umask.try.expected": {"en": "Expected output:", "zh": "预期输出："},
    "umask.perm.r": {"en": "read", "zh": "读"},
    "umask.perm.w": {"en": "write", "zh": "写"},
    "umask.perm.x": {"en": "execute", "zh": "执行"},
    "umask.who.u": {"en": "owner", "zh": "属主"},
    "umask.who.g": {"en": "group", "zh": "属组"},
    "umask.who.o": {"en": "others", "zh": "其他人"},
    # --- notes -----------------------------------------------------------------------------
    "umask_high_bits_ignored": {
        "en": "Only the last three digits count: bash accepts up to 07777, but umask(2) keeps "
              "mask & 0777.",
        "zh": "只有后三位起作用：bash 接受最大 07777，但 umask(2) 只保留 mask & 0777。",
    },
    "umask.note.nonmember": {
        "en": "This assumes the creator is root or in the directory's group. Anyone else gets no "
              "setgid here: since Linux 6.0 the kernel removes it from a file requested with group "
              "execute when the file's group is not one of the creator's.",
        "zh": "这里假定创建者是 root 或属于该目录的属组。其他人得不到 setgid：从 Linux 6.0 起，"
              "如果新文件的属组不在创建者的组里，而请求的权限又带属组执行位，内核会去掉 setgid。",
    },
    "acl_ignores_umask": {
        "en": "The parent directory has a default ACL, so the kernel ignores the umask and uses "
              "the ACL instead.",
        "zh": "父目录有默认 ACL，内核不再使用 umask，而是按 ACL 计算。",
    },
}
