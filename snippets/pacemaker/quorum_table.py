# votequorum: quorum = expected_votes // 2 + 1 (one vote per node, no options)
for nodes in range(2, 8):
    quorum = nodes // 2 + 1
    print(f"{nodes} nodes: quorum {quorum}, survives {nodes - quorum} failed node(s)")
    #> 2 nodes: quorum 2, survives 0 failed node(s)
    #> 3 nodes: quorum 2, survives 1 failed node(s)
    #> 4 nodes: quorum 3, survives 1 failed node(s)
    #> 5 nodes: quorum 3, survives 2 failed node(s)
    #> 6 nodes: quorum 4, survives 2 failed node(s)
    #> 7 nodes: quorum 4, survives 3 failed node(s)
