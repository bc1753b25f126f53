print("scholia: under construction")
