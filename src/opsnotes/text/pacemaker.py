"""Messages of the Pacemaker models (quorum, placement) and their calculators."""

MESSAGES: dict[str, dict[str, str]] = {
    # --- errors: scores and scenarios ------------------------------------------------------
    "pacemaker.bad_score": {
        "en": "'{value}' ({where}) is not a score: write an integer, INFINITY or -INFINITY.",
        "zh": "“{value}”（{where}）不是合法的分数：请写整数、INFINITY 或 -INFINITY。",
    },
    "pacemaker.where.line": {"en": "line {line}", "zh": "第 {line} 行"},
    "pacemaker.too_big": {
        "en": "Line {line}: more than {limit} {what}. The calculator takes up to {nodes} nodes, "
              "{resources} resources and {constraints} constraints (location and colocation lines); "
              "ask crm_simulate about larger clusters.",
        "zh": "第 {line} 行：{what}超过了 {limit} 个。这个计算器最多接受 {nodes} 个节点、"
              "{resources} 个资源和 {constraints} 条约束（location 与 colocation 行合计）；"
              "更大的集群请用 crm_simulate 计算。",
    },
    "pacemaker.what.nodes": {"en": "nodes", "zh": "节点"},
    "pacemaker.what.resources": {"en": "resources", "zh": "资源"},
    "pacemaker.what.constraints": {"en": "constraints", "zh": "约束"},
    "pacemaker.bad_name": {
        "en": "Line {line}: '{value}' is not a valid name (letters, digits, _ . -, "
              "starting with a letter).",
        "zh": "第 {line} 行：“{value}”不是合法的名字（字母、数字、_ . -，须以字母开头）。",
    },
    "pacemaker.bad_option": {
        "en": "Line {line}: '{value}' is not an option here; allowed: {allowed}.",
        "zh": "第 {line} 行：这里不能用“{value}”；可用的选项：{allowed}。",
    },
    "pacemaker.too_long": {
        "en": "The scenario has more than {limit} lines.",
        "zh": "场景超过了 {limit} 行。",
    },
    "pacemaker.syntax": {
        "en": "Line {line}: '{text}' should look like: {form}",
        "zh": "第 {line} 行：“{text}”的格式应为：{form}",
    },
    "pacemaker.bad_state": {
        "en": "Line {line}: node state '{value}' is not online, standby or offline.",
        "zh": "第 {line} 行：节点状态“{value}”不是 online、standby 或 offline。",
    },
    "pacemaker.duplicate": {
        "en": "Line {line}: the name '{value}' is already used.",
        "zh": "第 {line} 行：名字“{value}”已经用过了。",
    },
    "pacemaker.unknown_line": {
        "en": "Line {line}: '{value}' is not one of node, resource, group, location, "
              "colocation, defaults.",
        "zh": "第 {line} 行：“{value}”不是 node、resource、group、location、colocation、"
              "defaults 之一。",
    },
    "pacemaker.no_nodes": {
        "en": "The scenario has no nodes: add lines like 'node node1'.",
        "zh": "场景里没有节点：请加上“node node1”这样的行。",
    },
    "pacemaker.unknown_resource": {
        "en": "Line {line}: there is no resource or group '{value}' (declare it with a "
              "resource line).",
        "zh": "第 {line} 行：没有名为“{value}”的资源或资源组（请先用 resource 行声明）。",
    },
    "pacemaker.unknown_node": {
        "en": "Line {line}: there is no node '{value}'.",
        "zh": "第 {line} 行：没有名为“{value}”的节点。",
    },
    "pacemaker.member_twice": {
        "en": "Line {line}: resource '{value}' is already in a group.",
        "zh": "第 {line} 行：资源“{value}”已经属于某个资源组。",
    },
    "pacemaker.colocation_group": {
        "en": "Line {line}: colocation with the group '{value}' is not modelled; colocate "
              "resources that are not in groups.",
        "zh": "第 {line} 行：本模型不支持对资源组“{value}”做共置约束；请对不在组里的资源做共置。",
    },
    "pacemaker.colocation_member": {
        "en": "Line {line}: '{value}' is a group member; its group already decides where it "
              "runs, so colocation of members is not modelled.",
        "zh": "第 {line} 行：“{value}”是资源组成员，位置由所在的组决定，本模型不支持对组成员做共置。",
    },
    "pacemaker.colocation_self": {
        "en": "Line {line}: '{value}' cannot be colocated with itself.",
        "zh": "第 {line} 行：“{value}”不能与自己共置。",
    },
    "pacemaker.colocation_loop": {
        "en": "Line {line}: colocations starting at '{value}' come back to it; Pacemaker "
              "breaks such loops arbitrarily, so the model refuses them.",
        "zh": "第 {line} 行：从“{value}”出发的共置约束又绕回了它自己；"
              "Pacemaker 会随意打断这种环，因此本模型拒绝计算。",
    },
    # --- errors: quorum --------------------------------------------------------------------
    "pacemaker.quorum.votes_count": {
        "en": "{got} values given for {nodes} nodes; give one per node, e.g. 1,1,2.",
        "zh": "给了 {got} 个值，但有 {nodes} 个节点；请每个节点一个值，例如 1,1,2。",
    },
    "pacemaker.quorum.bad_votes": {
        "en": "'{value}': each node has 0 to 255 votes, and the cluster at least one.",
        "zh": "“{value}”：每个节点 0 到 255 票，整个集群至少要有一票。",
    },
    "pacemaker.quorum.no_such_node": {
        "en": "Node {value} does not exist: nodes are numbered 1 to {nodes}.",
        "zh": "节点 {value} 不存在：节点编号是 1 到 {nodes}。",
    },
    "pacemaker.quorum.node_twice": {
        "en": "'{value}' names a node more than once.",
        "zh": "“{value}”中有节点重复出现。",
    },
    "pacemaker.quorum.failed_in_partition": {
        "en": "Node {value} is failed, so it cannot be in a partition.",
        "zh": "节点 {value} 已经故障，不能出现在分区里。",
    },
    "pacemaker.quorum.too_many_failed": {
        "en": "{value} failed nodes, but the cluster has only {nodes}.",
        "zh": "故障节点数 {value} 超过了集群的节点数 {nodes}。",
    },
    "pacemaker.quorum.node_count": {
        "en": "{value} nodes: corosync supports 1 to {limit}.",
        "zh": "{value} 个节点：corosync 支持 1 到 {limit} 个节点。",
    },
    "pacemaker.quorum.qdevice_two_node": {
        "en": "A quorum device replaces two_node: corosync refuses both together "
              "(\"two_node and quorum device cannot be configured at the same time\").",
        "zh": "仲裁设备就是用来取代 two_node 的：corosync 不允许两者同时启用"
              "（“two_node and quorum device cannot be configured at the same time”）。",
    },
    "pacemaker.quorum.atb_lms_odd": {
        "en": "corosync refuses to start: auto_tie_breaker with last_man_standing and an odd "
              "number of votes ({votes}) needs wait_for_all: 1 (\"auto_tie_breaker & "
              "last_man_standing not available in odd sized cluster\").",
        "zh": "corosync 拒绝启动：票数总和为奇数（{votes}）时，auto_tie_breaker 加 "
              "last_man_standing 必须同时设置 wait_for_all: 1"
              "（“auto_tie_breaker & last_man_standing not available in odd sized cluster”）。",
    },
    "pacemaker.quorum.qdevice_lms": {
        "en": "corosync refuses to start: a quorum device cannot be combined with "
              "last_man_standing.",
        "zh": "corosync 拒绝启动：仲裁设备不能与 last_man_standing 同时使用。",
    },
    "pacemaker.quorum.qdevice_atb": {
        "en": "corosync refuses to start: a quorum device cannot be combined with "
              "auto_tie_breaker.",
        "zh": "corosync 拒绝启动：仲裁设备不能与 auto_tie_breaker 同时使用。",
    },
    "pacemaker.quorum.qdevice_expected": {
        "en": "corosync refuses to start: expected_votes {expected} must be at least the "
              "device's {qdevice} votes + 2 (expected_votes counts the device's votes).",
        "zh": "corosync 拒绝启动：expected_votes {expected} 至少要比仲裁设备的 {qdevice} 票多 2"
              "（expected_votes 已包含设备的票数）。",
    },
    "pacemaker.quorum.atb_list_empty": {
        "en": "Give the tie-breaker nodes in order, e.g. 3,1 (auto_tie_breaker_node: 3 1).",
        "zh": "请按顺序给出决胜节点，例如 3,1（即 auto_tie_breaker_node: 3 1）。",
    },
    # --- form labels and options -----------------------------------------------------------
    "quorum.preset.five_two_down": {"en": "Five nodes, two down", "zh": "五个节点，两个宕机"},
    "quorum.preset.two_node": {"en": "Two nodes (two_node), one down",
                               "zh": "两节点（two_node），一个宕机"},
    "quorum.preset.qdevice": {"en": "Two nodes + qdevice, one down",
                              "zh": "两节点 + qdevice，一个宕机"},
    "placement.preset.default": {"en": "The page's cluster", "zh": "本页的集群"},
    "placement.preset.node3_down": {"en": "node3 offline", "zh": "node3 离线"},
    "calc.title.quorum": {"en": "Quorum calculator (corosync votequorum)",
                          "zh": "仲裁计算器（corosync votequorum）"},
    "calc.title.placement": {"en": "Placement calculator (Pacemaker scheduler)",
                             "zh": "资源位置计算器（Pacemaker 调度器）"},
    "calc.summary.quorum": {
        "en": "corosync votequorum: expected votes, quorum and which partitions are quorate",
        "zh": "corosync votequorum：期望票数、法定票数，以及哪些分区有仲裁",
    },
    "calc.summary.placement": {"en": "where Pacemaker places resources: scores, placement and reasons",
                               "zh": "Pacemaker 把资源放在哪里：分数、位置和原因"},
    "quorum.field.nodes": {"en": "Nodes", "zh": "节点数"},
    "quorum.field.votes": {"en": "Votes per node (empty: 1 each)", "zh": "每个节点的票数（留空：每个 1 票）"},
    "quorum.field.failed": {"en": "Failed nodes, one at a time: a count (2: the two highest), "
                                  "or nodes in order (n1, or 3,1)",
                            "zh": "故障节点，逐个故障：填个数（2：编号最大的两个），"
                                  "或按故障顺序填节点（n1，或 3,1）"},
    "quorum.field.partitions": {"en": "Partitions (e.g. 1,2|3; empty: one)",
                                "zh": "网络分区（例如 1,2|3；留空：不分区）"},
    "quorum.field.two_node": {"en": "two_node: 1", "zh": "two_node: 1"},
    "quorum.field.wait_for_all": {"en": "wait_for_all", "zh": "wait_for_all"},
    "quorum.field.wait_for_all.default": {"en": "default (on with two_node)",
                                          "zh": "默认（启用 two_node 时开启）"},
    "quorum.field.wait_for_all.on": {"en": "1 (on)", "zh": "1（开）"},
    "quorum.field.wait_for_all.off": {"en": "0 (off)", "zh": "0（关）"},
    "quorum.field.last_man_standing": {"en": "last_man_standing: 1 (nodes failed one at a time)",
                                       "zh": "last_man_standing: 1（节点逐个故障）"},
    "quorum.field.auto_tie_breaker": {"en": "auto_tie_breaker: 1", "zh": "auto_tie_breaker: 1"},
    "quorum.field.atb_policy": {"en": "auto_tie_breaker_node", "zh": "auto_tie_breaker_node"},
    "quorum.field.atb_policy.lowest": {"en": "lowest (node 1)", "zh": "lowest（节点 1）"},
    "quorum.field.atb_policy.highest": {"en": "highest (last node)", "zh": "highest（最后一个节点）"},
    "quorum.field.atb_policy.ids": {"en": "a list of node ids", "zh": "节点 ID 列表"},
    "quorum.field.atb_nodes": {"en": "Tie-breaker nodes, in order (e.g. 3,1)",
                               "zh": "决胜节点，按优先顺序（例如 3,1）"},
    "quorum.field.qdevice_votes": {"en": "Quorum device votes (0: none)", "zh": "仲裁设备票数（0：没有）"},
    "quorum.field.expected_votes": {"en": "expected_votes (empty: sum of votes)",
                                    "zh": "expected_votes（留空：各节点票数之和）"},
    "quorum.field.all_seen": {"en": "All nodes were up together before the failures (untick: a "
                                    "cold start, each partition starting on its own)",
                              "zh": "故障之前所有节点曾同时在线（不勾选：冷启动，每个分区各自启动）"},
    "placement.field.cluster": {"en": "Cluster scenario", "zh": "集群场景"},
    "placement.field.pcs": {"en": "Show the pcs commands that build it", "zh": "显示构建该场景的 pcs 命令"},
    # --- quorum results --------------------------------------------------------------------
    "pacemaker.q.headline.yes": {"en": "Quorate: {votes} of {expected} votes, quorum is {quorum}",
                                 "zh": "有仲裁：{expected} 票中有 {votes} 票，法定票数为 {quorum}"},
    "pacemaker.q.headline.no": {"en": "Not quorate: {votes} of {expected} votes, quorum is {quorum}",
                                "zh": "无仲裁：{expected} 票中只有 {votes} 票，法定票数为 {quorum}"},
    "pacemaker.q.headline.none": {"en": "Not quorate: every node is down",
                                  "zh": "无仲裁：所有节点都已宕机"},
    "pacemaker.q.expected": {"en": "Expected votes", "zh": "期望票数（expected votes）"},
    "pacemaker.q.quorum": {"en": "Quorum", "zh": "法定票数（quorum）"},
    "pacemaker.q.failed": {"en": "Failed nodes", "zh": "故障节点"},
    "pacemaker.q.none": {"en": "none", "zh": "无"},
    "pacemaker.q.caption": {"en": "Partitions", "zh": "各分区"},
    "pacemaker.q.col.partition": {"en": "Partition (nodes)", "zh": "分区（节点）"},
    "pacemaker.q.col.votes": {"en": "Node votes", "zh": "节点票数"},
    "pacemaker.q.col.qdevice": {"en": "Device vote", "zh": "仲裁设备票"},
    "pacemaker.q.col.total": {"en": "Total votes", "zh": "总票数"},
    "pacemaker.q.col.quorate": {"en": "Quorate", "zh": "有仲裁"},
    "pacemaker.q.col.reason": {"en": "Why", "zh": "原因"},
    "pacemaker.q.yes": {"en": "yes", "zh": "是"},
    "pacemaker.q.no": {"en": "no", "zh": "否"},
    "pacemaker.q.reason.enough": {"en": "{total} ≥ quorum {quorum}",
                                  "zh": "{total} ≥ 法定票数 {quorum}"},
    "pacemaker.q.reason.short": {"en": "{total} < quorum {quorum}",
                                 "zh": "{total} < 法定票数 {quorum}"},
    "pacemaker.q.reason.two_node": {"en": "two_node: one vote is enough",
                                    "zh": "two_node：一票就够"},
    "pacemaker.q.reason.atb": {"en": "exactly half the votes, and it holds the tie-breaker node",
                               "zh": "正好一半票数，且拥有决胜节点"},
    "pacemaker.q.reason.wait_for_all": {
        "en": "wait_for_all: waits for all expected votes (since the start, or since quorum "
              "was lost)",
        "zh": "wait_for_all：要等所有期望票数到齐（自启动起，或自失去仲裁起）"},
    "pacemaker.q.split_brain": {
        "en": "More than one partition is quorate: both halves will run resources unless "
              "fencing stops one. This is why two_node needs working fencing.",
        "zh": "不止一个分区有仲裁：除非隔离（fencing）干掉其中一方，两边都会运行资源。"
              "这就是 two_node 必须配合可用的隔离设备的原因。"},
    "pacemaker.q.note.lms_expected": {
        "en": "last_man_standing lowered expected votes to {expected} as the nodes left one "
              "at a time.",
        "zh": "由于节点是逐个离开的，last_man_standing 把期望票数降到了 {expected}。"},
    "pacemaker.q.note.wfa_on": {
        "en": "wait_for_all is on: after a start, and again whenever a partition has lost "
              "quorum, quorum waits until all expected votes are present.",
        "zh": "wait_for_all 已开启：启动之后，以及某个分区失去仲裁之后，都要等所有期望票数到齐才会有仲裁。"},
    "pacemaker.q.note.expected_zero": {
        "en": "expected_votes: 0 is the same as not setting it: the nodelist's votes count.",
        "zh": "expected_votes: 0 等于没有设置：按节点列表的票数计算。"},
    "pacemaker.q.note.two_node_off_atb": {
        "en": "corosync switches two_node off when auto_tie_breaker is set (it logs \"two_node "
              "has been disabled\"); the wait_for_all that two_node turned on stays on.",
        "zh": "设置了 auto_tie_breaker 时，corosync 会关闭 two_node（日志：“two_node has been "
              "disabled”）；但 two_node 顺带打开的 wait_for_all 仍然开着。"},
    "pacemaker.q.note.atb_off_odd": {
        "en": "corosync switches auto_tie_breaker off: the nodelist has an odd number of votes "
              "({votes}) and wait_for_all is off (it logs \"auto_tie_breaker has been "
              "disabled\").",
        "zh": "corosync 关闭了 auto_tie_breaker：节点列表的票数总和为奇数（{votes}），"
              "且 wait_for_all 没有开启（日志：“auto_tie_breaker has been disabled”）。"},
    "pacemaker.q.note.two_node_big": {
        "en": "two_node is meant for two nodes of 1 vote each; corosync still starts with these "
              "{nodes} nodes and votes, and sets quorum to 1 whenever at most two nodes are up "
              "(with more up, the majority counts again).",
        "zh": "two_node 本来是给两个各 1 票的节点用的；对这里的 {nodes} 个节点和票数，corosync "
              "照样启动：只要在线节点不超过两个，法定票数就是 1（在线节点更多时，又按多数计算）。"},
    "pacemaker.q.note.lms_votes": {
        "en": "last_man_standing works only with 1 vote a node: corosync switches it off as "
              "soon as it sees a node with more.",
        "zh": "last_man_standing 只适用于每个节点 1 票：corosync 一旦看到票数更多的节点就会关闭它。"},
    "pacemaker.q.note.expected_raised": {
        "en": "expected_votes {configured} is below the votes that were present: corosync "
              "raised expected votes to {expected}, and only last_man_standing lowers them "
              "again.",
        "zh": "expected_votes {configured} 低于曾经在线的票数：corosync 把期望票数提高到了 "
              "{expected}，之后只有 last_man_standing 会再把它降下来。"},
    "pacemaker.q.note.quorum_wraps": {
        "en": "corosync keeps quorum in 8 bits: a quorum of 256 or more wraps around "
              "(modulo 256), and the value shown is what corosync uses.",
        "zh": "corosync 用 8 位整数保存法定票数：256 及以上会回绕（对 256 取模），"
              "这里显示的是 corosync 实际使用的值。"},
    # --- placement results -----------------------------------------------------------------
    "pacemaker.p.headline": {"en": "{running} of {total} resources run; {stopped} stopped",
                             "zh": "{total} 个资源中 {running} 个运行，{stopped} 个停止"},
    "pacemaker.p.caption": {"en": "Where each resource runs", "zh": "各资源的位置"},
    "pacemaker.p.col.resource": {"en": "Resource", "zh": "资源"},
    "pacemaker.p.col.before": {"en": "Now", "zh": "当前"},
    "pacemaker.p.col.after": {"en": "Afterwards", "zh": "之后"},
    "pacemaker.p.col.action": {"en": "Action", "zh": "动作"},
    "pacemaker.p.stopped": {"en": "stopped", "zh": "停止"},
    "pacemaker.p.action.start": {"en": "start", "zh": "启动"},
    "pacemaker.p.action.stop": {"en": "stop", "zh": "停止"},
    "pacemaker.p.action.move": {"en": "move", "zh": "迁移"},
    "pacemaker.p.action.stay": {"en": "stays", "zh": "保持不动"},
    "pacemaker.p.action.none": {"en": "stays stopped", "zh": "保持停止"},
    "pacemaker.p.scores": {"en": "Allocation scores (as crm_simulate -s prints them)",
                           "zh": "分配分数（与 crm_simulate -s 的输出一致）"},
    "pacemaker.p.why": {"en": "Why", "zh": "原因"},
    "pacemaker.p.order": {"en": "Assignment order: {order}", "zh": "分配顺序：{order}"},
    "pacemaker.pcs.defaults_old": {"en": "RHEL 7, RHEL 8.0-8.2 (pcs 0.9, 0.10 before 0.10.7): {cmd}",
                                   "zh": "RHEL 7、RHEL 8.0-8.2（pcs 0.9，以及 0.10.7 之前的 0.10）：{cmd}"},
    "pacemaker.pcs.rhel7": {"en": "RHEL 7 (pcs 0.9): {cmd}", "zh": "RHEL 7（pcs 0.9）：{cmd}"},
    "pacemaker.pcs.offline": {"en": "offline: {nodes} ({cmd} NODE, or a failure)",
                              "zh": "离线：{nodes}（{cmd} 节点名，或者节点故障）"},
    "pacemaker.p.pcs": {"en": "pcs commands (pcs 0.10/0.11, RHEL 8/9; RHEL 7's pcs 0.9 "
                              "differs where marked)",
                        "zh": "pcs 命令（pcs 0.10/0.11，RHEL 8/9；RHEL 7 的 pcs 0.9 不同之处已标出）"},
    "pacemaker.r.chosen": {"en": "{rsc} runs on {node} (score {score}).",
                           "zh": "{rsc} 运行在 {node}（分数 {score}）。"},
    "pacemaker.r.stopped": {"en": "{rsc} is stopped: no online node has a score of 0 or more.",
                            "zh": "{rsc} 停止：没有哪个在线节点的分数 ≥ 0。"},
    "pacemaker.r.with": {"en": "{rsc} must run with {primary}, which is on {node}.",
                         "zh": "{rsc} 必须与 {primary} 在一起，而 {primary} 在 {node}。"},
    "pacemaker.r.with_stopped": {"en": "{rsc} must run with {primary}, which is stopped.",
                                 "zh": "{rsc} 必须与 {primary} 在一起，而 {primary} 已停止。"},
    "pacemaker.r.not_with": {"en": "{rsc} must not run with {primary}, which is on {node}.",
                             "zh": "{rsc} 不能与 {primary} 在一起，而 {primary} 在 {node}。"},
    "pacemaker.r.rollback": {
        "en": "The optional colocation of {rsc} with {primary} would leave no node, so the "
              "scheduler ignored it.",
        "zh": "{rsc} 与 {primary} 的可选共置会导致无处可去，调度器忽略了它。"},
    "pacemaker.r.node_standby": {"en": "{node} is in standby: it runs no resources.",
                                 "zh": "{node} 处于待机（standby）：不运行任何资源。"},
    "pacemaker.r.node_offline": {"en": "{node} is offline.", "zh": "{node} 已离线。"},
    "pacemaker.r.tie_count": {
        "en": "Tie with {others}: {node} had the fewest resources assigned so far ({count}).",
        "zh": "与 {others} 分数相同：{node} 此前分到的资源最少（{count} 个）。"},
    "pacemaker.r.tie_current": {
        "en": "Tie with {others}: {node} is where {rsc} runs now.",
        "zh": "与 {others} 分数相同：{rsc} 当前就在 {node} 上。"},
}
