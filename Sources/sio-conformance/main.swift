print("sio")
