"""The app's workers: the work its screens run in threads (training, saving) and the messages
they post back, apart from the screens that show the results."""
