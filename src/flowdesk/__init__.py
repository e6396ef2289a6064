"""FlowDesk: find and follow a call centre's service flows (服务流程), and measure their use."""

__version__ = "0.1.0"
