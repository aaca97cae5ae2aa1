print("dialtoned")
