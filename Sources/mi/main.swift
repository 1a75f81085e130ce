print("mi")
