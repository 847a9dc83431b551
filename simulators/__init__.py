"""Stand-ins for the outside world the shop talks to over the network (`shop simulate`)."""
