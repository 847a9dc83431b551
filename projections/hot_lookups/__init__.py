"""Hot lookups: stock per sku, product detail, order status and coupon detail by key."""
