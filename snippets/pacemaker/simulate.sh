#!/usr/bin/env bash
# Predict a failover offline: build a CIB with pcs -f, then ask the scheduler (crm_simulate).
# Needs pacemaker-cli-utils, pcs, resource-agents and fence-agents; no cluster, no root.
set -euo pipefail
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cib="$dir/cib.xml"

# An empty CIB with two nodes that are up and a quorate cluster (what a running cluster has)
cibadmin --empty | sed -e 's|<nodes/>|<nodes><node id="1" uname="node1"/><node id="2" uname="node2"/></nodes>|' \
  -e 's|<cib |<cib have-quorum="1" |' \
  -e 's|<status/>|<status><node_state id="1" uname="node1" in_ccm="true" crmd="online" join="member" expected="member"/><node_state id="2" uname="node2" in_ccm="true" crmd="online" join="member" expected="member"/></status>|' > "$cib"

pcs -f "$cib" stonith create fence-node1 fence_ipmilan pcmk_host_list=node1 ip=10.0.0.101 username=admin password=secret
pcs -f "$cib" stonith create fence-node2 fence_ipmilan pcmk_host_list=node2 ip=10.0.0.102 username=admin password=secret
pcs -f "$cib" resource create VirtualIP ocf:heartbeat:IPaddr2 ip=192.168.122.120 cidr_netmask=24 --group apachegroup
pcs -f "$cib" resource create Website ocf:heartbeat:apache configfile=/etc/httpd/conf/httpd.conf --group apachegroup
pcs -f "$cib" resource defaults update resource-stickiness=100 2>/dev/null
pcs -f "$cib" constraint location apachegroup prefers node1=50 2>/dev/null

echo "== both nodes up"
crm_simulate -x "$cib" -S | grep -E '^ +\* (Start|Move|Stop)'
crm_simulate -x "$cib" -S -O "$dir/running.xml" >/dev/null   # the cluster after that transition
echo "== node1 fails"
crm_simulate -x "$dir/running.xml" -S --node-fail node1 | grep -E '^ +\* (Fence|Start|Move|Stop)'
echo "== scores"
crm_simulate -x "$dir/running.xml" -s | grep -E 'primitive_assign'
echo "== crm_mon -1 -r on the simulated cluster"
CIB_file="$dir/running.xml" crm_mon -1 -r | grep -E '^[A-Z]|Started'
#> == both nodes up
#>   * Start      fence-node1     ( node1 )
#>   * Start      fence-node2     ( node2 )
#>   * Start      VirtualIP       ( node1 )
#>   * Start      Website         ( node1 )
#> == node1 fails
#>   * Fence (reboot) node1 'peer is no longer part of the cluster'
#>   * Move       fence-node1     ( node1 -> node2 )
#>   * Move       VirtualIP       ( node1 -> node2 )
#>   * Move       Website         ( node1 -> node2 )
#> == scores
#> pcmk__primitive_assign: fence-node1 allocation score on node1: 100
#> pcmk__primitive_assign: fence-node1 allocation score on node2: 0
#> pcmk__primitive_assign: fence-node2 allocation score on node1: 0
#> pcmk__primitive_assign: fence-node2 allocation score on node2: 100
#> pcmk__primitive_assign: VirtualIP allocation score on node1: 250
#> pcmk__primitive_assign: VirtualIP allocation score on node2: 0
#> pcmk__primitive_assign: Website allocation score on node1: 100
#> pcmk__primitive_assign: Website allocation score on node2: -INFINITY
#> == crm_mon -1 -r on the simulated cluster
#> Cluster Summary:
#> Node List:
#> Full List of Resources:
#>   * fence-node1	(stonith:fence_ipmilan):	 Started node1
#>   * fence-node2	(stonith:fence_ipmilan):	 Started node2
#>     * VirtualIP	(ocf:heartbeat:IPaddr2):	 Started node1
#>     * Website	(ocf:heartbeat:apache):	 Started node1
