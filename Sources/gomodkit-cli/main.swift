import GoModKit
print("gomodkit")
