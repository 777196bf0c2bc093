obj-y += fdt.o
obj-y += string.o
obj-y += vsprintf.o
obj-y += fdt_write.o
