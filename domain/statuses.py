"""Order statuses of the retail domain (as in τ-bench's data and after its writes)."""

PENDING = "pending"
PROCESSED = "processed"
DELIVERED = "delivered"
CANCELLED = "cancelled"
ITEM_MODIFIED = "pending (item modified)"
RETURN_REQUESTED = "return requested"
EXCHANGE_REQUESTED = "exchange requested"
