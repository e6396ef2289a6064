"""FlowDesk benchmarks: synthetic packs at site scale and the measurements run on them."""
