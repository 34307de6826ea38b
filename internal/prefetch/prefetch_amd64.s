#include "textflag.h"

// func Pointer(p unsafe.Pointer)
TEXT ·Pointer(SB), NOSPLIT|NOFRAME, $0-8
	MOVQ p+0(FP), AX
	PREFETCHT0 (AX)
	RET
