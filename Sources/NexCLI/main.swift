print("nex")
