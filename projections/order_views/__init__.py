"""Order detail, customer order history and the cross-aggregate order timeline."""
