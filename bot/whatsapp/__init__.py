"""WhatsApp: the interview on the WhatsApp Business Platform's Cloud API, through the same
service, engine, storage and alerts as Telegram and the web chat."""
